/**
 * The waveform peaks file: audiowaveform's binary format, version 2, 8-bit, 100 points a second
 * (github.com/bbc/audiowaveform doc/DataFormat.md), written from samples and read back.
 */
import { describe, expect, it } from 'vitest';
import { createPeaksWriter, encodePeaks, parsePeaks } from '../../src/mix/peaks.ts';
import { TracksError } from '../../src/errors.ts';

describe('peaks file', () => {
  it('writes the version-2 header and one min/max pair of high bytes per 80 samples at 8 kHz', () => {
    const samples = new Int16Array(200); // 2.5 points: the last one partial
    samples[10] = 12_800; // high byte 50
    samples[20] = -25_600; // -100
    samples[100] = 32_767; // 127
    samples[170] = -32_768; // -128
    const bytes = encodePeaks(samples, 8000);
    const header = new DataView(bytes.buffer);
    expect([0, 4, 8, 12, 16, 20].map((at) => header.getInt32(at, true))).toEqual([2, 1, 8000, 80, 3, 1]);
    expect([...new Int8Array(bytes.buffer, 24)]).toEqual([-100, 50, 0, 127, -128, 0]);
    expect(bytes.length).toBe(24 + 6);
  });

  it('gives the same file however the samples are chunked, and parses back', () => {
    const samples = Int16Array.from({ length: 8000 * 3 + 17 }, (_, i) => Math.round(Math.sin(i / 7) * (i % 5000)));
    const whole = encodePeaks(samples, 8000);
    const writer = createPeaksWriter(8000);
    for (let at = 0; at < samples.length; at += 333) writer.push(samples.subarray(at, at + 333));
    expect(writer.finish()).toEqual(whole);
    const parsed = parsePeaks(whole);
    expect(parsed).toMatchObject({ sampleRateHz: 8000, samplesPerPoint: 80, length: 301 });
    for (let p = 0; p < parsed.length; p++) {
      const slice = samples.subarray(p * 80, p * 80 + 80);
      expect([parsed.min[p], parsed.max[p]]).toEqual([Math.min(...slice) >> 8, Math.max(...slice) >> 8]);
    }
  });

  it('refuses what it cannot read with one clear error', () => {
    const good = encodePeaks(new Int16Array(800), 8000);
    const v1 = good.slice();
    new DataView(v1.buffer).setInt32(0, 1, true);
    const sixteen = good.slice();
    new DataView(sixteen.buffer).setUint32(4, 0, true);
    for (const [bytes, why] of [
      [good.subarray(0, 10), 'shorter than the header'],
      [v1, 'version 1'],
      [sixteen, '16-bit'],
      [good.subarray(0, good.length - 2), '10 points declared, 9 present'],
    ] as const) {
      expect(() => parsePeaks(bytes)).toThrow(why);
      expect(
        TracksError.isError(
          (() => {
            try {
              parsePeaks(bytes);
            } catch (e) {
              return e;
            }
          })(),
          'PEAKS_INVALID',
        ),
      ).toBe(true);
    }
  });
});
