/**
 * The fixture meeting (test/fixtures/meeting.ts), made with the project's own wasm engine, plus the
 * broken inputs: a truncated copy and garbage bytes. The global setup (test/global-setup.ts) makes
 * it once per run, kept by content (media-cache.ts); each test file gets a private copy of it in
 * its own temporary directory (`fixtureMeeting`), free to add files beside it.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { Engine } from '../../src/engine/engine.ts';
import { writeSyntheticTracks } from '../../src/demo/synthetic-meeting.ts';
import { TRACKS, WHEREBY_MP4 } from '../fixtures/meeting.ts';
import { copyCached, mediaKey } from './media-cache.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The cached fixture meeting (read only: tests use `fixtureMeeting()`'s copy). */
    fixtureMeetingDir: string;
  }
}

export type FixtureMeeting = {
  dir: string;
  /** Path of each fixture track by its key in TRACKS. */
  paths: Record<keyof typeof TRACKS, string>;
  whereby: string;
  truncated: string;
  garbage: string;
};

export const TRUNCATED_NAME = '1700000000000-77777777-7777-4777-8777-777777777777-cam-audio-1700000004209';
const GARBAGE_NAME = 'garbage.webm';
const KEYS = Object.keys(TRACKS) as Array<keyof typeof TRACKS>;

/** The fixture meeting's cache key: its tracks and the code that makes them. */
export const fixtureMeetingKey = () =>
  mediaKey('fixture-meeting', { TRACKS, WHEREBY_MP4, TRUNCATED_NAME, GARBAGE_NAME }, [
    new URL('../../src/demo/synthetic-meeting.ts', import.meta.url),
    new URL('./fixture-meeting.ts', import.meta.url),
  ]);

/** Writes the fixture meeting into `dir` (the global setup does, once). */
export const writeFixtureMeeting = async (engine: Engine, dir: string): Promise<void> => {
  const written = await writeSyntheticTracks(engine, [...KEYS.map((k) => TRACKS[k]), WHEREBY_MP4], dir);
  // Cut a complete track to 40 % of its bytes: what an interrupted upload leaves behind.
  const full = await readFile(written[KEYS.indexOf('lateJoiner')]!);
  await writeFile(join(dir, TRUNCATED_NAME), full.subarray(0, Math.floor(full.length * 0.4)));
  await writeFile(
    join(dir, GARBAGE_NAME),
    Uint8Array.from({ length: 8192 }, (_, i) => (i * 2654435761) >>> 24),
  );
};

/** A private copy of the fixture meeting, in a new temporary directory of the test's own. */
export const fixtureMeeting = async (): Promise<FixtureMeeting> => {
  const dir = await mkdtemp(join(tmpdir(), 'rt-meeting-'));
  await copyCached(inject('fixtureMeetingDir'), dir);
  const paths = Object.fromEntries(KEYS.map((k) => [k, join(dir, TRACKS[k].name)])) as FixtureMeeting['paths'];
  return { dir, paths, whereby: join(dir, WHEREBY_MP4.name), truncated: join(dir, TRUNCATED_NAME), garbage: join(dir, GARBAGE_NAME) };
};
