/**
 * A peaks file reduced to at most `maxPoints` points, for a view of the whole track: each point
 * the minimum and maximum of `factor` consecutive points, in the same format (BBC audiowaveform
 * binary, version 2: github.com/bbc/audiowaveform doc/DataFormat.md) with the header's samples
 * per point (bytes 12–15) and length (bytes 16–19) saying so. A 3-hour track at 100 points a
 * second is 2.16 MB; a fitted view of it needs a few thousand points (measured with `npm run
 * bench:inspector --profile`: the ten full files' transfer was most of the page's time).
 */
import { parsePeaks } from '../mix/peaks.ts';

const HEADER_BYTES = 24;

export const reducePeaks = (bytes: Uint8Array<ArrayBuffer>, maxPoints: number): Uint8Array<ArrayBuffer> => {
  const parsed = parsePeaks(bytes);
  const factor = Math.max(1, Math.ceil(parsed.length / maxPoints));
  if (factor === 1) return bytes;
  const length = Math.ceil(parsed.length / factor);
  const out = new Uint8Array(HEADER_BYTES + 2 * length);
  out.set(bytes.subarray(0, HEADER_BYTES));
  const header = new DataView(out.buffer);
  header.setInt32(12, parsed.samplesPerPoint * factor, true);
  header.setUint32(16, length, true);
  const values = new Int8Array(out.buffer, HEADER_BYTES);
  for (let p = 0; p < length; p++) {
    let lo = 127;
    let hi = -128;
    for (let i = p * factor, end = Math.min(parsed.length, i + factor); i < end; i++) {
      if (parsed.min[i]! < lo) lo = parsed.min[i]!;
      if (parsed.max[i]! > hi) hi = parsed.max[i]!;
    }
    values[2 * p] = lo;
    values[2 * p + 1] = hi;
  }
  return out;
};
