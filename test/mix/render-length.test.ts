/**
 * A rendered track lasts exactly its `endMs`: from meeting time 0 to the track's end, counted in
 * decoded samples (after Opus pre-skip and end trimming), within 2.5 ms — lost packets, a late
 * joiner rendered in pieces (fill-plan.ts) and a track from 0 alike. Real engine, real media.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../../src/engine/engine.ts';
import { sharedEngine } from '../helpers/shared-engine.ts';
import { dailyName } from '../../src/demo/synthetic-meeting.ts';
import { syntheticTracks } from '../helpers/synthetic-tracks.ts';
import { processFiles } from '../../src/pipeline/process-files.ts';
import { TRACKS } from '../fixtures/meeting.ts';
import { decodeToPcm } from '../helpers/decode.ts';

const GIO = '77777777-7777-4777-8777-777777777777';
const SOURCES = [
  TRACKS.lostPackets,
  TRACKS.fromZero,
  // Joins after a hole long enough to be rendered as pieces around a silence source.
  { name: dailyName(GIO, 'cam-audio', 12.5), startSec: 12.5, endSec: 17, lostPacketsSec: [14.1], beepsSec: [13], toneHz: 600 },
];

let engine: Engine;
let dir: string;
let inputs: string[];

beforeAll(async () => {
  engine = await sharedEngine();
  dir = await mkdtemp(join(tmpdir(), 'rt-render-length-'));
  inputs = await syntheticTracks(engine, SOURCES, dir);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('rendered track length', () => {
  for (const [format, rateHz] of [
    ['opus', 48000],
    ['wav', 16000],
  ] as const) {
    it(`equals endMs in decoded samples (${format})`, async () => {
      const outDir = join(dir, format);
      const { timeline } = await processFiles(inputs, { engine, outDir, trackFormat: format });
      expect(timeline.tracks).toHaveLength(SOURCES.length);
      for (const track of timeline.tracks) {
        const pcm = await decodeToPcm(engine, join(outDir, track.output!), rateHz);
        const decodedMs = (pcm.samples.length / rateHz) * 1000;
        expect(Math.abs(decodedMs - track.endMs), `${track.file}: ${decodedMs} ms decoded, endMs ${track.endMs}`).toBeLessThanOrEqual(2.5);
      }
    });
  }
});
