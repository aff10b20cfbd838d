/**
 * The peaks route's `?points=` reduction: the same format, at most that many points, each the
 * min and max of the consecutive points it stands for, its header saying how many samples a point spans.
 */
import { describe, expect, it } from 'vitest';
import { encodePeaks, parsePeaks } from '../../src/mix/peaks.ts';
import { reducePeaks } from '../../src/server/reduced-peaks.ts';

describe('reducePeaks', () => {
  // 10.05 s at 8 kHz: 1005 points of 80 samples, a different level in each.
  const samples = Int16Array.from({ length: 80_400 }, (_, i) => Math.round(Math.sin(i / 7) * ((i * 37) % 32_000)));
  const file = encodePeaks(samples, 8000) as Uint8Array<ArrayBuffer>;
  const full = parsePeaks(file);

  it('answers at most N points, each the min and max of the points it covers', () => {
    const reduced = parsePeaks(reducePeaks(file, 100));
    const factor = Math.ceil(full.length / 100);
    expect(reduced.length).toBe(Math.ceil(full.length / factor));
    expect(reduced.length).toBeLessThanOrEqual(100);
    expect(reduced.samplesPerPoint).toBe(full.samplesPerPoint * factor);
    expect(reduced.sampleRateHz).toBe(8000);
    for (let p = 0; p < reduced.length; p++) {
      const from = p * factor;
      const to = Math.min(full.length, from + factor);
      expect(reduced.min[p]).toBe(Math.min(...full.min.subarray(from, to)));
      expect(reduced.max[p]).toBe(Math.max(...full.max.subarray(from, to)));
    }
  });

  it('keeps a file that already fits as it is', () => {
    expect(reducePeaks(file, 5000)).toBe(file);
  });
});
