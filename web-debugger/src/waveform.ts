/**
 * Waveforms from a track's peaks file (src/mix/peaks.ts: audiowaveform's format, 100 points a
 * second, min/max per point), for dropped files (the render's speech tap made it) and stored
 * recordings (fetched, no audio decoded) alike. Drawn as mirrored bars, reduced to one column
 * per device pixel for the span in view: the canvas covers only the visible part of the track,
 * so any zoom draws at most a lane's width.
 */
import { parsePeaks } from '../../src/mix/peaks.ts';

/** One level (0..1) per point, meeting time from 0 at `msPerPoint`; `coarse`: the max of every `COARSE` points. */
export type Peaks = { msPerPoint: number; levels: Float32Array; coarse: Float32Array };

/** Points per coarse level: a fitted 3-hour view reads 34 k levels per track instead of 1.08 M. */
const COARSE = 32;

export const peaksFromFile = (bytes: Uint8Array): Peaks => {
  const parsed = parsePeaks(bytes);
  const levels = new Float32Array(parsed.length);
  const coarse = new Float32Array(Math.ceil(parsed.length / COARSE));
  for (let i = 0; i < parsed.length; i++) {
    const level = Math.max(-parsed.min[i]!, parsed.max[i]!) / 128;
    levels[i] = level;
    const c = (i / COARSE) | 0;
    if (level > coarse[c]!) coarse[c] = level;
  }
  return { msPerPoint: (parsed.samplesPerPoint / parsed.sampleRateHz) * 1000, levels, coarse };
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
  // A pixel spanning many coarse levels reads those (the same maxima, 32× fewer reads).
  const useCoarse = (b - a) / width >= COARSE * peaks.msPerPoint * 2;
  const levels = useCoarse ? peaks.coarse : peaks.levels;
  const msPerPoint = useCoarse ? peaks.msPerPoint * COARSE : peaks.msPerPoint;
  const mid = height / 2;
  for (let x = 0; x < width; x++) {
    const from = Math.floor((a + ((b - a) * x) / width) / msPerPoint);
    const to = Math.min(levels.length, Math.max(from + 1, Math.floor((a + ((b - a) * (x + 1)) / width) / msPerPoint)));
    let peak = 0;
    for (let i = from; i < to; i++) if (levels[i]! > peak) peak = levels[i]!;
    // sqrt: quiet speech stays visible next to loud speech
    const h = Math.sqrt(peak) * (mid - 1);
    if (h > 0.5) ctx.fillRect(x, mid - h, 1, h * 2);
  }
};
