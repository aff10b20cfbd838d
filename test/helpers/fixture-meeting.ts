/**
 * Generates the fixture meeting (test/fixtures/meeting.ts) with the project's own wasm engine into
 * a temporary directory, plus the broken inputs: a truncated copy and garbage bytes.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../../src/engine/engine.ts';
import { writeSyntheticTracks } from '../../src/demo/synthetic-meeting.ts';
import { TRACKS, WHEREBY_MP4 } from '../fixtures/meeting.ts';

export type FixtureMeeting = {
  dir: string;
  /** Path of each fixture track by its key in TRACKS. */
  paths: Record<keyof typeof TRACKS, string>;
  whereby: string;
  truncated: string;
  garbage: string;
};

export const TRUNCATED_NAME = '1700000000000-77777777-7777-4777-8777-777777777777-cam-audio-1700000004209';

export const makeFixtureMeeting = async (engine: Engine): Promise<FixtureMeeting> => {
  const dir = await mkdtemp(join(tmpdir(), 'rt-meeting-'));
  const keys = Object.keys(TRACKS) as Array<keyof typeof TRACKS>;
  const written = await writeSyntheticTracks(engine, [...keys.map((k) => TRACKS[k]), WHEREBY_MP4], dir);
  const paths = Object.fromEntries(keys.map((k, i) => [k, written[i]!])) as FixtureMeeting['paths'];
  // Cut a complete track to 40 % of its bytes: what an interrupted upload leaves behind.
  const full = await readFile(paths.lateJoiner);
  const truncated = join(dir, TRUNCATED_NAME);
  await writeFile(truncated, full.subarray(0, Math.floor(full.length * 0.4)));
  const garbage = join(dir, 'garbage.webm');
  await writeFile(
    garbage,
    Uint8Array.from({ length: 8192 }, (_, i) => (i * 2654435761) >>> 24),
  );
  return { dir, paths, whereby: written.at(-1)!, truncated, garbage };
};
