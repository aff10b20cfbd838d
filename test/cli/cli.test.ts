/**
 * The CLI contract, run as a user runs it: `bin/reflector-tracks.mjs` in a child process whose
 * PATH holds node alone (so no system ffmpeg could be used even by accident).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { access, mkdtemp, readdir, readFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureMeeting, TRUNCATED_NAME, type FixtureMeeting } from '../helpers/fixture-meeting.ts';
import { TRACKS } from '../fixtures/meeting.ts';
import type { Timeline } from '../../src/timeline/types.ts';

const bin = fileURLToPath(new URL('../../bin/reflector-tracks.mjs', import.meta.url));
let nodeOnlyPath: string;
let meeting: FixtureMeeting;

type Run = { code: number; stdout: string; stderr: string };
const cli = (...args: string[]): Promise<Run> =>
  new Promise((done) => {
    execFile(join(nodeOnlyPath, 'node'), [bin, ...args], { env: { PATH: nodeOnlyPath, HOME: tmpdir() } }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

beforeAll(async () => {
  nodeOnlyPath = await mkdtemp(join(tmpdir(), 'rt-node-only-'));
  await symlink(process.execPath, join(nodeOnlyPath, 'node'));
  meeting = await fixtureMeeting();
});

describe('reflector-tracks process', () => {
  it('writes mixdown.mp3, tracks/<input basename>.<ext> and timeline.json with no ffmpeg on PATH', async () => {
    for (const tool of ['ffmpeg', 'ffprobe']) await expect(access(join(nodeOnlyPath, tool))).rejects.toThrow();
    const out = join(meeting.dir, 'cli-out');
    const inputs = [meeting.paths.lateJoiner, meeting.paths.fromZero, meeting.paths.videoOnly, meeting.garbage];
    const run = await cli('process', ...inputs, '--out', out, '--track-format', 'wav');
    expect(run.stderr).toContain('mixing down');
    expect(run.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['mixdown.mp3', 'timeline.json', 'tracks']);
    expect((await readdir(join(out, 'tracks'))).sort()).toEqual(
      [`${TRACKS.fromZero.name}.wav`, `${TRACKS.lateJoiner.name}.wav`].flatMap((name) => [name, `${name}.peaks.dat`]).sort(),
    );
    const timeline = JSON.parse(await readFile(join(out, 'timeline.json'), 'utf8')) as Timeline;
    // The contract's fields, with their types.
    expect(timeline).toMatchObject({ durationMs: expect.any(Number), tracks: expect.any(Array), skipped: expect.any(Array) });
    for (const t of timeline.tracks) {
      expect(t).toMatchObject({
        file: expect.any(String),
        participantId: expect.any(String),
        offsetMs: expect.any(Number),
        filenameOffsetMs: expect.any(Number),
        durationMs: expect.any(Number),
        gaps: expect.any(Array),
        output: `tracks/${t.file}.wav`,
        warnings: [],
      });
    }
    expect(timeline.skipped.map((s) => s.file)).toEqual([basename(meeting.paths.videoOnly), 'garbage.webm']);
    expect(run.stdout).toMatch(/skipped: garbage\.webm: not a media file/);
  });

  it('exits non-zero, with the reasons, when no track can be processed', async () => {
    const out = join(meeting.dir, 'cli-none');
    const run = await cli('process', meeting.garbage, meeting.paths.videoOnly, '--out', out);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/PIPELINE_NO_TRACKS: No track could be processed: garbage\.webm: .*no audio stream \(video only: vp8\)/);
    const timeline = JSON.parse(await readFile(join(out, 'timeline.json'), 'utf8')) as Timeline;
    expect(timeline.skipped).toHaveLength(2);
  });

  it('rejects bad usage with exit code 2 and the help text', async () => {
    const missingOut = await cli('process', meeting.paths.lateJoiner);
    expect(missingOut.code).toBe(2);
    expect(missingOut.stderr).toContain('--out <dir> is required');
    const badFormat = await cli('process', meeting.paths.lateJoiner, '--out', '/tmp/x', '--track-format', 'mp3');
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('--track-format must be one of opus, wav, flac');
  });
});

describe('reflector-tracks inspect', () => {
  it('prints the same timeline as process, without rendering anything', async () => {
    const files = [meeting.paths.lateJoiner, meeting.paths.fromZero, meeting.paths.videoOnly, meeting.garbage];
    const run = await cli('inspect', ...files, '--json');
    expect(run.code).toBe(0);
    const inspected = JSON.parse(run.stdout) as Timeline;
    const processed = JSON.parse(await readFile(join(meeting.dir, 'cli-out', 'timeline.json'), 'utf8')) as Timeline;
    // The same placement; speech and bleed need decoding, so inspect leaves them unanalysed (null), and renders nothing (render null).
    expect(inspected.tracks.map((t) => ({ ...t, output: null }))).toEqual(
      processed.tracks.map((t) => ({
        ...t,
        output: null,
        speech: null,
        talkMs: null,
        bleed: null,
        bleedMs: null,
        render: null,
        packetsDropped: null,
        peaks: null,
      })),
    );
    // `process` above wrote WAV: decoded.
    expect(processed.tracks.map((t) => [t.render, t.packetsDropped])).toEqual([
      ['decode', null],
      ['decode', null],
    ]);
    expect(inspected.bleedPairs).toBeNull();
    expect(processed.tracks.every((t) => Array.isArray(t.bleed) && t.bleedMs !== null)).toBe(true);
    expect(processed.tracks.every((t) => Array.isArray(t.speech) && t.talkMs !== null)).toBe(true);
    expect(inspected.durationMs).toBe(processed.durationMs);
  });

  it('prints a readable table', async () => {
    const run = await cli('inspect', meeting.paths.lateJoiner, meeting.paths.videoOnly);
    expect(run.stdout).toMatch(/^meeting 0:20\.0\d\d · 1 track\(s\)/);
    expect(run.stdout).toMatch(/0:08\.13\d\s+0:08\.339\s+-20\d/);
    expect(run.stdout).toMatch(/gap .*: 0:11\.0\d\d → 0:13\.0\d\d/);
    expect(run.stdout).toMatch(/skip .*cam-video.*: no audio stream/);
  });
});

describe('a truncated track', () => {
  it('is reported once: the truncation, not its damage again nor ffmpeg restating it', async () => {
    const out = join(meeting.dir, 'cli-truncated');
    const run = await cli('process', meeting.truncated, meeting.paths.fromZero, '--out', out, '--track-format', 'flac', '--quiet');
    expect(run.code, run.stderr).toBe(0);
    const warnings = run.stdout.split('\n').filter((l) => l.startsWith(`warning: ${TRUNCATED_NAME}: `) && !l.includes('container-vs-filename'));
    expect(warnings).toEqual([expect.stringMatching(/: file is truncated \(\d+ of \d+ bytes\)/)]);
    expect(run.stdout).not.toMatch(/damaged data|File ended prematurely|bits-per-sample/);
  });
});

describe('reflector-tracks demo', () => {
  it('runs both ingestion flows on embedded defaults and reports each step', async () => {
    const out = await mkdtemp(join(tmpdir(), 'rt-demo-'));
    const run = await cli('demo', '--minutes', '0.5', '--out', out);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/1\. starting the service on embedded defaults: PGlite and local storage/);
    expect(run.stdout).toMatch(/signed webhook recording\.ready-to-download → HTTP 200/);
    expect(run.stdout.match(/audio ready \(no transcript: TRANSCRIPTION_API_URL is unset\)/g)).toHaveLength(2);
    expect(run.stdout).toMatch(/4 audio tracks and 1 camera video track.*\n[\s\S]*· 4 track\(s\)/);
    // The service stops with the demo: no link to it is printed.
    expect(run.stdout).not.toMatch(/https?:\/\//);
    expect(run.stdout).toContain('raw tracks left in the Daily bucket: 1 (the camera video track');
    expect(run.stdout).toMatch(/meeting 0:30\.0\d\d · 4 track\(s\)/);
  });
});

describe('help', () => {
  it('lists each lazily loaded command under its own name and summary', async () => {
    const { COMMANDS } = await import('../../src/cli/main.ts');
    for (const entry of COMMANDS) expect(await entry.load()).toMatchObject({ name: entry.name, summary: entry.summary });
  });

  it.each(['serve', 'worker', 'process', 'inspect', 'demo', 'migrate'])('%s --help describes its options', async (command) => {
    const run = await cli(command, '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: reflector-tracks ${command}`));
  });

  it('lists the commands and rejects an unknown one', async () => {
    expect((await cli('--help')).stdout).toMatch(
      /Commands:\n {2}serve .*\n {2}worker .*\n {2}api-keys .*\n {2}doctor .*\n {2}reprocess .*\n {2}process .*\n {2}inspect .*\n {2}demo .*\n {2}migrate /,
    );
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });
});
