/**
 * A new user's mistakes, tried as they would be: each answered by one line naming the path or
 * flag and what to do (exit 2), never a stack trace; each message once; a recording folder as
 * input; renders named after their inputs; a reused --out holding this run's outputs only.
 * Real CLI in a child process, real engine, real media.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dailyName } from '../../src/demo/synthetic-meeting.ts';
import { syntheticTracks } from '../helpers/synthetic-tracks.ts';
import type { Timeline } from '../../src/timeline/types.ts';
import { dailyEventJson } from '../helpers/daily-event-json.ts';
import { ALICE, BOB } from '../fixtures/meeting.ts';
import { sharedEngine } from '../helpers/shared-engine.ts';

const bin = fileURLToPath(new URL('../../bin/reflector-tracks.mjs', import.meta.url));
type Run = { code: number; stdout: string; stderr: string };
const cli = (...args: string[]): Promise<Run> =>
  new Promise((done) => {
    execFile(process.execPath, [bin, ...args], { env: { PATH: '', HOME: dir } }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

const alice = { name: dailyName(ALICE, 'cam-audio', 0), startSec: 0, endSec: 4, beepsSec: [1], toneHz: 300 };
const bob = { name: dailyName(BOB, 'cam-audio', 1.5), startSec: 1.5, endSec: 5, beepsSec: [3], toneHz: 400 };

let dir: string;
/** A recording folder: two Daily tracks and their event JSON. */
let folder: string;
let good = '';

const expectOneLine = (run: Run, ...parts: Array<string | RegExp>) => {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr.trimEnd().split('\n'), run.stderr).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  for (const p of parts) expect(run.stderr).toMatch(p);
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rt-cli-mistakes-'));
  folder = join(dir, 'recording');
  await mkdir(folder);
  good = (await syntheticTracks(await sharedEngine(), [alice, bob], folder))[0]!;
  await writeFile(
    join(folder, 'events.json'),
    JSON.stringify(
      dailyEventJson([
        { participantId: ALICE, displayName: 'Alice', track: alice, contentType: 'audio/webm' },
        { participantId: BOB, displayName: 'Bob', track: bob, contentType: 'audio/webm' },
      ]),
    ),
  );
});
afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

describe('one-line usage errors', () => {
  it('names a missing file, an empty glob, a folder of nothing and --out on a file', async () => {
    expectOneLine(await cli('inspect', join(dir, 'nope.webm')), join(dir, 'nope.webm'), /no such file/);
    expectOneLine(await cli('process', join(dir, 'nothing-*.webm'), '--out', join(dir, 'o')), /nothing-\*\.webm: no file matches this pattern/);
    await mkdir(join(dir, 'empty'));
    expectOneLine(await cli('inspect', join(dir, 'empty')), /empty is a folder with no files/);
    await writeFile(join(dir, 'a-file'), 'x');
    expectOneLine(await cli('process', good, '--out', join(dir, 'a-file')), /--out .*a-file is a file, not a folder/);
  });

  it('answers --version, suggests commands and flags, takes negative numbers as values', async () => {
    const version = await cli('--version');
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^reflector-tracks \d+\.\d+\.\d+/);
    expectOneLine(await cli('procss'), /unknown command "procss" \(did you mean process\?\)/);
    expectOneLine(await cli('inspect', '--jsn', good), /unknown option --jsn \(did you mean --json\?\)/);
    // Refused by its range, not as an ambiguous flag: the value was read as -3.
    expectOneLine(
      await cli('process', good, '--out', join(dir, 'o'), '--loudnorm-target', '-3'),
      /--loudnorm-target must be a number from -70 to -5, got "-3"/,
    );
  });
});

describe('inputs', () => {
  it('takes a recording folder: every file in it, the event JSON found', async () => {
    const run = await cli('inspect', folder, '--json');
    expect(run.code, run.stderr).toBe(0);
    const timeline = JSON.parse(run.stdout) as Timeline;
    expect(timeline.eventsFile).toBe('events.json');
    expect(timeline.tracks.map((t) => t.displayName).sort()).toEqual(['Alice', 'Bob']);
  });

  it('refuses a folder holding the tracks of several recordings, listing them', async () => {
    const mixed = join(dir, 'mixed');
    await mkdir(mixed);
    await copyFile(good, join(mixed, alice.name));
    await copyFile(good, join(mixed, alice.name.replace(/^1700000000000/, '1700000900000')));
    expectOneLine(await cli('inspect', mixed), /holds tracks of 2 recordings.*1700000000000 .*1700000900000 /);
  });

  it('skips a missing input among good ones and reports it like any bad track, each message once', async () => {
    const out = join(dir, 'skips');
    await writeFile(join(dir, 'notes.webm'), 'not audio at all');
    const run = await cli('process', good, join(dir, 'gone.webm'), join(dir, 'notes.webm'), '--out', out, '--track-format', 'flac', '--quiet');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^skipped: gone\.webm: no such file/m);
    expect(run.stdout).toMatch(/^skipped: notes\.webm: not a media file/m);
    expect(run.stdout).not.toMatch(/notes\.webm: notes\.webm/);
    expect(run.stdout).not.toMatch(/bits-per-sample/);
    const timeline = JSON.parse(await readFile(join(out, 'timeline.json'), 'utf8')) as Timeline;
    expect(timeline.skipped.map((s) => s.file)).toEqual(['gone.webm', 'notes.webm']);
    expect(timeline.tracks.flatMap((t) => t.warnings)).toEqual([]);
  });
});

describe('outputs', () => {
  it('names renders after their inputs without the extension, keeps full names where they would collide', async () => {
    const named = join(dir, 'named');
    await mkdir(named);
    for (const name of ['talk.webm', 'x.webm', 'x.mka']) await copyFile(good, join(named, name));
    const out = join(dir, 'named-out');
    const run = await cli('process', ...['talk.webm', 'x.webm', 'x.mka'].map((n) => join(named, n)), '--out', out, '--track-format', 'wav', '--quiet');
    expect(run.code, run.stderr).toBe(0);
    expect((await readdir(join(out, 'tracks'))).sort()).toEqual(['talk.wav', 'x.mka.wav', 'x.webm.wav'].flatMap((name) => [name, `${name}.peaks.dat`]));
  });

  it('removes what an earlier run wrote to a reused --out and this run did not, and nothing else', async () => {
    const out = join(dir, 'reused');
    expect((await cli('process', folder, '--out', out, '--track-format', 'wav', '--quiet')).code).toBe(0);
    expect(await readdir(join(out, 'tracks'))).toHaveLength(4); // two renders and their peaks
    await writeFile(join(out, 'transcript.txt'), 'an earlier transcript');
    await writeFile(join(out, 'my-notes.txt'), 'mine');
    const again = await cli('process', good, '--out', out, '--track-format', 'wav', '--quiet');
    expect(again.code, again.stderr).toBe(0);
    expect((await readdir(join(out, 'tracks'))).sort()).toEqual([`${alice.name}.wav`, `${alice.name}.wav.peaks.dat`]);
    expect((await readdir(out)).sort()).toEqual(['mixdown.mp3', 'my-notes.txt', 'timeline.json', 'tracks']);
  });
});
