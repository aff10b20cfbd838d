/**
 * The mixdown encoded as parallel segments must decode like the one-piece mixdown: same length,
 * same samples (to MP3 coding noise), nothing shifted at the seams.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readdir } from 'node:fs/promises';
import type { Engine } from '../../src/engine/engine.ts';
import { sharedEngine } from '../helpers/shared-engine.ts';
import { processFiles } from '../../src/pipeline/process-files.ts';
import { planMixdownSegments } from '../../src/mix/mixdown-segments.ts';
import { fixtureMeeting, type FixtureMeeting } from '../helpers/fixture-meeting.ts';
import { decodeToPcm } from '../helpers/decode.ts';
import { firstSoundMs, type Pcm } from '../helpers/wav.ts';
import { TRACKS } from '../fixtures/meeting.ts';

let engine: Engine;
let meeting: FixtureMeeting;
let whole: Pcm;
let parts: Pcm;
let durationMs: number;
let leftovers: string[];
const mixdownRatios: number[] = [];

beforeAll(async () => {
  engine = await sharedEngine();
  meeting = await fixtureMeeting();
  const inputs = Object.values(meeting.paths);
  const one = await processFiles(inputs, { engine, outDir: join(meeting.dir, 'one'), trackFormat: 'wav', mixdown: { segments: 1 } });
  const three = await processFiles(inputs, {
    engine,
    outDir: join(meeting.dir, 'three'),
    trackFormat: 'wav',
    mixdown: { segments: 3 },
    onProgress: (event) => {
      if (event.stage === 'mixdown') mixdownRatios.push(event.ratio);
    },
  });
  durationMs = one.timeline.durationMs;
  whole = await decodeToPcm(engine, one.mixdownPath, 48000);
  parts = await decodeToPcm(engine, three.mixdownPath, 48000);
  leftovers = await readdir(join(meeting.dir, 'three'));
});

describe('segmented mixdown', () => {
  it('reports progress that only moves forward while the segments encode in parallel, ending at 1', () => {
    expect(mixdownRatios.length).toBeGreaterThan(3);
    expect(mixdownRatios.every((ratio, i) => i === 0 || ratio >= mixdownRatios[i - 1]!)).toBe(true);
    expect(mixdownRatios.at(-1)).toBe(1);
  });

  it('uses three segments here and leaves only mixdown.mp3 behind', () => {
    expect(planMixdownSegments(durationMs, 3, 48000)).toHaveLength(3);
    expect(leftovers.sort()).toEqual(['mixdown.mp3', 'timeline.json', 'tracks']);
  });

  it('decodes to the same number of samples as the one-piece mixdown, ending within a frame of the meeting', () => {
    expect(parts.samples.length).toBe(whole.samples.length);
    expect(parts.durationMs - durationMs).toBeGreaterThanOrEqual(0);
    expect(parts.durationMs - durationMs).toBeLessThan(24);
  });

  it('matches the one-piece mixdown sample by sample, in every segment and across the seams', () => {
    const plan = planMixdownSegments(durationMs, 3, 48000);
    const bounds = plan.map((_, k) => plan.slice(0, k).reduce((sum, s) => sum + s.frameCount * 1152, 0));
    const snrDb = (from: number, to: number) => {
      let error = 0;
      let signal = 0;
      for (let i = from; i < to; i++) {
        const d = parts.samples[i]! - whole.samples[i]!;
        error += d * d;
        signal += whole.samples[i]! ** 2;
      }
      return 10 * Math.log10(signal / Math.max(error, 1));
    };
    // Measured 93 dB overall: the same encoder on the same samples. A one-sample shift of the
    // fixture's tones measures 19 dB, so 60 dB leaves no room for any misplacement.
    const regions = [
      ...bounds.slice(1).map((b) => [b - 24_000, b + 24_000] as const),
      ...bounds.map((b, k) => [b, bounds[k + 1] ?? whole.samples.length] as const),
    ];
    for (const [from, to] of regions) expect(snrDb(Math.max(48_000, from), to), `samples ${from}-${to}`).toBeGreaterThan(60);
  });

  it('keeps every beep in place (±20 ms)', () => {
    for (const t of Object.values(TRACKS)) {
      for (const beep of ('beepsSec' in t ? t.beepsSec : []) ?? []) {
        expect(Math.abs(firstSoundMs(parts, 16000, beep * 1000 - 400)! - beep * 1000), `${t.name} ${beep}`).toBeLessThanOrEqual(20);
      }
    }
  });
});
