/**
 * Waveforms from the rendered 16-bit WAV tracks: peak per bucket, drawn as a mirrored bar
 * outline. Because the tracks are the gap-filled renders, silence shows where the mic was muted.
 */
export type Peaks = { sampleRateHz: number; samplesPerPeak: number; peaks: Float32Array };

const SAMPLES_PER_PEAK = 160; // 10 ms at 16 kHz: fine enough for a 2-hour zoomed view

export const wavPeaks = (bytes: Uint8Array): Peaks | null => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 12;
  let sampleRateHz = 16000;
  while (at + 8 <= bytes.length) {
    const id = String.fromCharCode(...bytes.subarray(at, at + 4));
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ') sampleRateHz = view.getUint32(at + 12, true);
    if (id === 'data') {
      const count = Math.floor(Math.min(size, bytes.length - at - 8) / 2);
      const peaks = new Float32Array(Math.ceil(count / SAMPLES_PER_PEAK));
      for (let i = 0; i < count; i++) {
        const v = Math.abs(view.getInt16(at + 8 + i * 2, true)) / 32768;
        const p = (i / SAMPLES_PER_PEAK) | 0;
        if (v > peaks[p]!) peaks[p] = v;
      }
      return { sampleRateHz, samplesPerPeak: SAMPLES_PER_PEAK, peaks };
    }
    at += 8 + size + (size % 2);
  }
  return null;
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
