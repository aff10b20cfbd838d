/**
 * Waveforms of the rendered (gap-filled) tracks: a 2 kHz envelope per track, peak per 10 ms,
 * drawn as mirrored bars. Silence shows where the mic was muted. A 2-hour track's envelope is
 * 29 MB while it is reduced and 2.9 MB of peaks after, so 20 such tracks stay in memory.
 */
export type Peaks = { sampleRateHz: number; samplesPerPeak: number; peaks: Float32Array };

/** Envelope rate the engine produces for waveforms: speech energy below 1 kHz shapes it well. */
export const ENVELOPE_RATE_HZ = 2000;
const PEAK_MS = 10;

/** Peak per 10 ms of raw 16-bit little-endian mono PCM. */
export const pcmPeaks = (bytes: Uint8Array, sampleRateHz = ENVELOPE_RATE_HZ): Peaks => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const samplesPerPeak = Math.max(1, Math.round((sampleRateHz * PEAK_MS) / 1000));
  const count = Math.floor(bytes.length / 2);
  const peaks = new Float32Array(Math.ceil(count / samplesPerPeak));
  for (let i = 0; i < count; i++) {
    const v = Math.abs(view.getInt16(i * 2, true)) / 32768;
    const p = (i / samplesPerPeak) | 0;
    if (v > peaks[p]!) peaks[p] = v;
  }
  return { sampleRateHz, samplesPerPeak, peaks };
};

/** Draws the part of `peaks` between meeting times `fromMs` and `toMs` across the canvas. */
export const drawWaveform = (canvas: HTMLCanvasElement, peaks: Peaks, fromMs: number, toMs: number, color: string) => {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = color;
  const msPerPeak = (peaks.samplesPerPeak / peaks.sampleRateHz) * 1000;
  const mid = height / 2;
  for (let x = 0; x < width; x++) {
    const a = Math.floor((fromMs + ((toMs - fromMs) * x) / width) / msPerPeak);
    const b = Math.max(a + 1, Math.floor((fromMs + ((toMs - fromMs) * (x + 1)) / width) / msPerPeak));
    let peak = 0;
    for (let i = a; i < b && i < peaks.peaks.length; i++) peak = Math.max(peak, peaks.peaks[i]!);
    // sqrt: quiet speech stays visible next to loud speech
    const h = Math.sqrt(peak) * (mid - 1);
    if (h > 0.5) ctx.fillRect(x, mid - h, 1, h * 2);
  }
};
