/**
 * Two colleagues in one room who really talk at once (each mic hears the other at −12 dB, 5 ms
 * later): the double talk is crosstalk, on both tracks; the bleed around it is not. With a third,
 * remote participant echoed by a speakerphone (−18 dB, 250 ms) who also talks over the pair.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../../src/engine/node-engine.ts';
import { processFiles } from '../../src/pipeline/process-files.ts';
import type { Timeline } from '../../src/timeline/types.ts';
import { ALICE, BOB, DAN } from '../fixtures/meeting.ts';
import { writeBleedMeeting, type Coupling } from '../helpers/bleed-meeting.ts';
import { expectOwnersOnly, truthCrosstalkMs } from '../helpers/bleed-scoring.ts';
import type { SpeechTrack, SpeechTrackSpec } from '../helpers/speech-meeting.ts';

const SPECS = {
  a: {
    participantId: ALICE,
    startSec: 0.3,
    endSec: 40,
    noiseDb: -60,
    utterances: [
      { clip: 'm1.ogg', atSec: 2 },
      { clip: 'm2.ogg', atSec: 12 },
      { clip: 'm3.ogg', atSec: 30 },
    ],
  },
  b: {
    participantId: BOB,
    startSec: 0.5,
    endSec: 40,
    noiseDb: -58,
    utterances: [
      { clip: 'f1.ogg', atSec: 7 },
      { clip: 'f2.ogg', atSec: 12.6 },
      { clip: 'f3.ogg', atSec: 22 },
    ],
  },
  s: {
    participantId: DAN,
    startSec: 0.8,
    endSec: 40,
    noiseDb: -54,
    utterances: [
      { clip: 'f3.ogg', atSec: 17 },
      { clip: 'm1.ogg', atSec: 30.9 },
    ],
  },
} satisfies Record<string, SpeechTrackSpec>;

const COUPLINGS: Coupling[] = [
  { from: 'a', to: 'b', levelDb: -12, lagMs: 5 },
  { from: 'b', to: 'a', levelDb: -12, lagMs: 5 },
  { from: 'a', to: 's', levelDb: -18, lagMs: 250 },
  { from: 'b', to: 's', levelDb: -18, lagMs: 250 },
];

let engine: NodeEngine;
let dir: string;
let tracks: Record<string, SpeechTrack>;
let timeline: Timeline;

beforeAll(async () => {
  engine = await createNodeEngine({ workers: 2 });
  dir = await mkdtemp(join(tmpdir(), 'rt-bleed-doubletalk-'));
  tracks = await writeBleedMeeting(engine, SPECS, COUPLINGS, dir);
  ({ timeline } = await processFiles(
    Object.values(tracks).map((t) => t.path),
    { engine, outDir: join(dir, 'out') },
  ));
}, 600_000);

afterAll(async () => {
  await engine?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('double talk in one room', () => {
  it.each(Object.keys(SPECS))('keeps %s’s own speech only', (key) => {
    expectOwnersOnly(timeline, tracks[key]!, key);
  });

  it('measures crosstalk within 25% of the truth', () => {
    const truth = truthCrosstalkMs(SPECS, tracks);
    if (process.env.BLEED_SCORES) console.log('crosstalk', JSON.stringify({ found: timeline.crosstalkMs, truth }));
    expect(truth).toBeGreaterThan(1000);
    expect(Math.abs(timeline.crosstalkMs! - truth) / truth, `${timeline.crosstalkMs} vs ${truth}`).toBeLessThanOrEqual(0.25);
  });
});
