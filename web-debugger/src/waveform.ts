/**
 * Waveforms from a track's peaks (src/mix/peaks.ts: audiowaveform's format, 100 points a second,
 * min/max per point), for dropped files (the render's speech tap made them, all in memory) and
 * stored recordings (stored-peaks.ts: a reduced file for the whole track, then the points of the
 * span in view by byte ranges as the view zooms in; no audio decoded). Drawn as mirrored bars,
 * reduced to one column per device pixel for the span in view: the canvas covers only the
 * visible part of the track, so any zoom draws at most a lane's width.
 */
import { parsePeaks } from '../../src/mix/peaks.ts';

/** Levels at one resolution: the loudest (0..1) over points [from, to), or null while some of them are not loaded. */
export type Resolution = { msPerPoint: number; peak(from: number, to: number): number | null };

/**
 * A track's peaks: `fine` at the file's resolution, `coarse` a reduction of it for wide views;
 * `want` (stored recordings) asks for the fine points of a span, which redraws once they arrive.
 */
export type Peaks = { fine: Resolution; coarse: Resolution; want?(fromMs: number, toMs: number): void };

/** Fine points per coarse level (dropped files): a fitted 3-hour view reads 34 k levels per track instead of 1.08 M. */
const COARSE = 32;

/** One level (0..1) per point of a peaks file. */
export const levelsOf = (bytes: Uint8Array): { msPerPoint: number; levels: Float32Array } => {
  const parsed = parsePeaks(bytes);
  const levels = new Float32Array(parsed.length);
  for (let i = 0; i < parsed.length; i++) levels[i] = Math.max(-parsed.min[i]!, parsed.max[i]!) / 128;
  return { msPerPoint: (parsed.samplesPerPoint / parsed.sampleRateHz) * 1000, levels };
};

/** Levels all in memory. */
export const wholeResolution = (msPerPoint: number, levels: Float32Array): Resolution => ({
  msPerPoint,
  peak(from, to) {
    let peak = 0;
    for (let i = Math.max(0, from), end = Math.min(levels.length, to); i < end; i++) if (levels[i]! > peak) peak = levels[i]!;
    return peak;
  },
});

/** A whole peaks file in memory (dropped files): its points, and the max of every `COARSE`. */
export const peaksFromFile = (bytes: Uint8Array): Peaks => {
  const { msPerPoint, levels } = levelsOf(bytes);
  const coarse = new Float32Array(Math.ceil(levels.length / COARSE));
  for (let i = 0; i < levels.length; i++) {
    const c = (i / COARSE) | 0;
    if (levels[i]! > coarse[c]!) coarse[c] = levels[i]!;
  }
  return { fine: wholeResolution(msPerPoint, levels), coarse: wholeResolution(msPerPoint * COARSE, coarse) };
};

/**
 * Draws the track's waveform where the view [`fromMs`, `toMs`] meets the track [`startMs`,
 * `endMs`]; the canvas is placed over that part of the track's bar.
 */
export const drawWaveform = (
  canvas: HTMLCanvasElement,
  peaks: Peaks,
  track: { startMs: number; endMs: number },
  view: { fromMs: number; toMs: number },
  color: string,
) => {
  const a = Math.max(track.startMs, view.fromMs);
  const b = Math.min(track.endMs, view.toMs);
  const span = track.endMs - track.startMs || 1;
  canvas.hidden = b <= a;
  if (b <= a) return;
  canvas.style.left = `${((a - track.startMs) / span) * 100}%`;
  canvas.style.width = `${((b - a) / span) * 100}%`;
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = color;
  // A pixel spanning two coarse levels or more reads those (the same maxima, far fewer reads);
  // closer, the fine points, asked for first (stored: fetched, drawn coarse until they arrive).
  const useCoarse = (b - a) / width >= peaks.coarse.msPerPoint * 2;
  if (!useCoarse) peaks.want?.(a, b);
  const mid = height / 2;
  for (let x = 0; x < width; x++) {
    const fromMs = a + ((b - a) * x) / width;
    const toMs = a + ((b - a) * (x + 1)) / width;
    const at = (r: Resolution) => r.peak(Math.floor(fromMs / r.msPerPoint), Math.max(Math.floor(fromMs / r.msPerPoint) + 1, Math.floor(toMs / r.msPerPoint)));
    const peak = (useCoarse ? null : at(peaks.fine)) ?? at(peaks.coarse) ?? 0;
    // sqrt: quiet speech stays visible next to loud speech
    const h = Math.sqrt(peak) * (mid - 1);
    if (h > 0.5) ctx.fillRect(x, mid - h, 1, h * 2);
  }
};
