/**
 * Containers that carry no offset: WebM/Opus files a browser's MediaRecorder writes all start at
 * 0, whenever their participant joined. A Daily-style name that says the track joined later
 * places it (with a warning); Daily's own raw tracks stay placed by their containers. Real
 * media from the wasm engine, real probe, real render.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../../src/engine/engine.ts';
import { sharedEngine } from '../helpers/shared-engine.ts';
import { dailyName } from '../../src/demo/synthetic-meeting.ts';
import { syntheticTracks } from '../helpers/synthetic-tracks.ts';
import { inspectFiles, processFiles } from '../../src/pipeline/process-files.ts';
import { buildTimeline } from '../../src/timeline/build-timeline.ts';
import { parseDailyTrackName } from '../../src/timeline/daily-track-name.ts';
import { probeFile } from '../../src/probe/probe-file.ts';
import { decodeToPcm } from '../helpers/decode.ts';
import { firstSoundMs } from '../helpers/wav.ts';
import { ALICE, BOB, CAROL } from '../fixtures/meeting.ts';

const R = 1_700_000_000_000;
/** A Daily-style name saying the track joined `joinedMs` after the recording start. */
const named = (participantId: string, joinedMs: number) => `${R}-${participantId}-cam-audio-${R + joinedMs}`;

// Both files start at 0 in their own container, as MediaRecorder writes them; Bob joined 2.5 s after Alice.
const alice = { name: named(ALICE, 0), startSec: 0, endSec: 5, beepsSec: [1], toneHz: 300 };
const bob = { name: named(BOB, 2500), startSec: 0, endSec: 3, beepsSec: [1], toneHz: 400 };

let engine: Engine;
let dir: string;
let paths: string[];

beforeAll(async () => {
  engine = await sharedEngine();
  dir = await mkdtemp(join(tmpdir(), 'rt-no-offset-'));
  paths = await syntheticTracks(engine, [alice, bob], dir);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a container that carries no offset', () => {
  it('is placed by its name, with offsetSource "filename" and a warning', async () => {
    const timeline = await inspectFiles(paths);
    const placed = timeline.tracks.find((t) => t.file === bob.name)!;
    expect(placed.containerOffsetMs).toBeLessThanOrEqual(20);
    expect(Math.abs(placed.offsetMs - 2500)).toBeLessThanOrEqual(40);
    expect(placed.offsetSource).toBe('filename');
    expect(placed.warnings).toEqual([expect.stringMatching(/container starts at .* while its name says it joined at 2500 ms: placed by its name/)]);
    expect(Math.abs(placed.endMs - 5500)).toBeLessThanOrEqual(40);
    // The first joiner's name says 0: its container is right.
    expect(timeline.tracks.find((t) => t.file === alice.name)).toMatchObject({ offsetMs: expect.any(Number), offsetSource: 'container' });
  });

  it('renders the late joiner from where its name places it', async () => {
    const out = join(dir, 'out');
    const { timeline } = await processFiles(paths, { engine, outDir: out, trackFormat: 'wav' });
    const track = timeline.tracks.find((t) => t.file === bob.name)!;
    const pcm = await decodeToPcm(engine, join(out, track.output!));
    expect(Math.abs(firstSoundMs(pcm, 1000)! - 2500)).toBeLessThanOrEqual(40);
  });

  it("keeps Daily's own first joiner (container at 0, name ~200 ms later) and late joiners on their containers", async () => {
    const daily = await syntheticTracks(
      engine,
      [
        { name: dailyName(CAROL, 'cam-audio', 0), startSec: 0, endSec: 3, beepsSec: [1], toneHz: 300 },
        { name: dailyName(BOB, 'cam-audio', 1.5), startSec: 1.5, endSec: 4, beepsSec: [2], toneHz: 400 },
      ],
      dir,
    );
    const probes = await Promise.all(
      daily.map(async (path) => ({ file: path.split('/').pop()!, daily: parseDailyTrackName(path), probe: await probeFile('x', path) })),
    );
    const timeline = buildTimeline(probes);
    expect(timeline.tracks.map((t) => t.offsetSource)).toEqual(['container', 'container']);
    expect(timeline.tracks.flatMap((t) => t.warnings)).toEqual([]);
    expect(Math.abs(timeline.tracks[1]!.offsetMs - 1500)).toBeLessThanOrEqual(40);
  });
});
