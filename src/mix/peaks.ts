/**
 * A rendered track's waveform peaks in the BBC audiowaveform binary format, so a viewer draws a
 * stored recording without downloading or decoding its audio. Pure: samples in, bytes out, and
 * the parser the inspector uses.
 *
 * Format (github.com/bbc/audiowaveform, doc/DataFormat.md, "Binary data format"): little-endian;
 * a version-2 header of six 32-bit fields — version (2), flags (bit 0 set: 8-bit values), sample
 * rate (Hz), samples per pixel, length (points), channels (1) — then, per point, the minimum and
 * the maximum sample as signed 8-bit values (the 16-bit sample's high byte).
 * Written from the 8 kHz speech tap (speech-analyzer.ts) at 80 samples per point: 100 points a
 * second, a 3-hour track in 2.2 MB.
 */
import { TracksError } from '../errors.ts';

export const PEAKS_VERSION = 2;
export const PEAKS_POINTS_PER_SECOND = 100;
const HEADER_BYTES = 24;
const FLAG_8_BIT = 1;

export type ParsedPeaks = {
  sampleRateHz: number;
  samplesPerPoint: number;
  /** Points: `min[i]`, `max[i]` in -128..127. */
  length: number;
  min: Int8Array;
  max: Int8Array;
};

export type PeaksWriter = {
  /** 16-bit mono samples at the writer's rate, in any chunking. */
  push(samples: Int16Array): void;
  /** The file: header and every point (a partial last point included). */
  finish(): Uint8Array;
};

export const createPeaksWriter = (sampleRateHz: number): PeaksWriter => {
  const samplesPerPoint = Math.round(sampleRateHz / PEAKS_POINTS_PER_SECOND);
  let data = new Int8Array(1 << 12);
  let points = 0;
  let inPoint = 0;
  let lo = 0;
  let hi = 0;
  const emit = () => {
    if (2 * points + 2 > data.length) {
      const grown = new Int8Array(data.length * 2);
      grown.set(data);
      data = grown;
    }
    data[2 * points] = lo >> 8;
    data[2 * points + 1] = hi >> 8;
    points++;
    inPoint = 0;
  };
  return {
    push(samples) {
      for (let i = 0; i < samples.length; i++) {
        const v = samples[i]!;
        if (inPoint === 0) lo = hi = v;
        else if (v < lo) lo = v;
        else if (v > hi) hi = v;
        if (++inPoint === samplesPerPoint) emit();
      }
    },
    finish() {
      if (inPoint > 0) emit();
      const bytes = new Uint8Array(HEADER_BYTES + 2 * points);
      const header = new DataView(bytes.buffer);
      header.setInt32(0, PEAKS_VERSION, true);
      header.setUint32(4, FLAG_8_BIT, true);
      header.setInt32(8, sampleRateHz, true);
      header.setInt32(12, samplesPerPoint, true);
      header.setUint32(16, points, true);
      header.setInt32(20, 1, true);
      bytes.set(new Uint8Array(data.buffer, 0, 2 * points), HEADER_BYTES);
      return bytes;
    },
  };
};

/** The whole of a track's samples at once. */
export const encodePeaks = (samples: Int16Array, sampleRateHz: number): Uint8Array => {
  const writer = createPeaksWriter(sampleRateHz);
  writer.push(samples);
  return writer.finish();
};

const bad = (why: string) => new TracksError('PEAKS_INVALID', `not an audiowaveform peaks file: ${why}`);

/** Reads a version-2, 8-bit, mono file (what this pipeline writes); anything else is a clear error. */
export const parsePeaks = (bytes: Uint8Array): ParsedPeaks => {
  if (bytes.length < HEADER_BYTES) throw bad(`${bytes.length} bytes, shorter than the header`);
  const header = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const version = header.getInt32(0, true);
  if (version !== PEAKS_VERSION) throw bad(`version ${version}, expected ${PEAKS_VERSION}`);
  if ((header.getUint32(4, true) & FLAG_8_BIT) === 0) throw bad('16-bit values, expected 8-bit');
  const channels = header.getInt32(20, true);
  if (channels !== 1) throw bad(`${channels} channels, expected 1`);
  const length = header.getUint32(16, true);
  if (bytes.length < HEADER_BYTES + 2 * length) throw bad(`${length} points declared, ${(bytes.length - HEADER_BYTES) >> 1} present`);
  const values = new Int8Array(bytes.buffer, bytes.byteOffset + HEADER_BYTES, 2 * length);
  const min = new Int8Array(length);
  const max = new Int8Array(length);
  for (let i = 0; i < length; i++) {
    min[i] = values[2 * i]!;
    max[i] = values[2 * i + 1]!;
  }
  return { sampleRateHz: header.getInt32(8, true), samplesPerPoint: header.getInt32(12, true), length, min, max };
};
