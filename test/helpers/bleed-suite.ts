/**
 * A bleed suite's meeting: made with the real engine from the project's speech clips, processed
 * by the pipeline once for the whole file (beforeAll) and removed after it, with the checks every
 * bleed meeting must pass — each track its owner's speech only, crosstalk near the truth.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.ts';
import { sharedEngine } from './shared-engine.ts';
import { processFiles } from '../../src/pipeline/process-files.ts';
import type { Timeline } from '../../src/timeline/types.ts';
import { writeBleedMeeting, type Coupling } from './bleed-meeting.ts';
import { expectCrosstalkNearTruth, expectOwnersOnly } from './bleed-scoring.ts';
import type { SpeechTrack, SpeechTrackSpec } from './speech-meeting.ts';

export type BleedSuiteMeeting = { engine: Engine; dir: string; tracks: Record<string, SpeechTrack>; timeline: Timeline };

/** Registers the file's beforeAll/afterAll; the object it returns is filled once beforeAll has run. */
export const processedBleedMeeting = (name: string, specs: Record<string, SpeechTrackSpec>, couplings: readonly Coupling[], timeoutMs = 600_000) => {
  const meeting = {} as BleedSuiteMeeting;
  beforeAll(async () => {
    meeting.engine = await sharedEngine();
    meeting.dir = await mkdtemp(join(tmpdir(), `rt-${name}-`));
    meeting.tracks = await writeBleedMeeting(meeting.engine, specs, couplings, meeting.dir);
    ({ timeline: meeting.timeline } = await processFiles(
      Object.values(meeting.tracks).map((t) => t.path),
      { engine: meeting.engine, outDir: join(meeting.dir, 'out') },
    ));
  }, timeoutMs);
  afterAll(async () => {
    if (meeting.dir) await rm(meeting.dir, { recursive: true, force: true });
  });
  return meeting;
};

/** The checks of every bleed meeting, inside the caller's describe. */
export const ownersOnlyAndCrosstalk = (meeting: Pick<BleedSuiteMeeting, 'tracks' | 'timeline'>, specs: Record<string, SpeechTrackSpec>) => {
  it.each(Object.keys(specs))('keeps %s’s own speech only: recall ≥ 0.95, precision ≥ 0.90, every utterance’s start within 150 ms', (key) => {
    expectOwnersOnly(meeting.timeline, meeting.tracks[key]!, key);
  });
  it('measures crosstalk within 25% of the truth: the real double talk, not the bleed', () => {
    expectCrosstalkNearTruth(meeting.timeline, specs, meeting.tracks);
  });
};
