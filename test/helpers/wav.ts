/**
 * Reads the 16-bit PCM WAV files the engine writes (`-c:a pcm_s16le -f wav`), so tests can look
 * at real samples: durations, digital silence, where a beep lands.
 */
import { parseWavHeader } from '../../src/probe/wav-header.ts';

export type Pcm = { sampleRateHz: number; channels: number; samples: Int16Array; durationMs: number };

export const readWav = (bytes: Uint8Array): Pcm => {
  const header = parseWavHeader(bytes);
  if (header === null) throw new Error('not a RIFF/WAVE file');
  if (header === 'incomplete') throw new Error('WAV has no data chunk');
  if (header.bitsPerSample !== 16) throw new Error('only 16-bit PCM is read here');
  const { channels, sampleRateHz, dataStart } = header;
  // ffmpeg writes 0xFFFFFFFF (or a too-large size) when it could not seek back; take what is there.
  const size = Math.min(header.dataBytes, bytes.length - dataStart);
  // Copy through Uint8Array.prototype.slice: Buffer#slice is a view into a shared pool.
  const data = Uint8Array.prototype.slice.call(bytes, dataStart, dataStart + size - (size % 2));
  const samples = new Int16Array(data.buffer);
  return { sampleRateHz, channels, samples, durationMs: (samples.length / channels / sampleRateHz) * 1000 };
};

/** Peak absolute sample value in [fromMs, toMs) of a mono file. */
export const peakIn = (pcm: Pcm, fromMs: number, toMs: number): number => {
  const from = Math.max(0, Math.floor((fromMs / 1000) * pcm.sampleRateHz));
  const to = Math.min(pcm.samples.length, Math.ceil((toMs / 1000) * pcm.sampleRateHz));
  let peak = 0;
  for (let i = from; i < to; i++) peak = Math.max(peak, Math.abs(pcm.samples[i]!));
  return peak;
};

/** Time of the first sample louder than `threshold` at or after `fromMs`, or null. */
export const firstSoundMs = (pcm: Pcm, threshold: number, fromMs = 0): number | null => {
  for (let i = Math.floor((fromMs / 1000) * pcm.sampleRateHz); i < pcm.samples.length; i++) {
    if (Math.abs(pcm.samples[i]!) > threshold) return (i / pcm.sampleRateHz) * 1000;
  }
  return null;
};
