/**
 * The engine on the real wasm core: real commands in real worker threads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, readlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNodeEngine, type NodeEngine } from '../../src/engine/node-engine.ts';
import { TracksError } from '../../src/errors.ts';
import { readWav } from '../helpers/wav.ts';
import { waitUntil } from '../helpers/wait.ts';

let engine: NodeEngine;
let dir: string;

beforeAll(async () => {
  engine = await createNodeEngine({ workers: 2 });
  dir = await mkdtemp(join(tmpdir(), 'rt-engine-'));
});
afterAll(() => engine?.close());

/** A command that keeps a worker busy for tens of seconds: an hour of tone through LAME. */
const LONG_COMMAND = ['-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=f=440:d=3600', '-c:a', 'libmp3lame', '-f', 'null', '-'];

describe('running commands', () => {
  it('synthesizes a tone, encodes Opus in WebM starting at 1.5 s, decodes it and probes its start_time', async () => {
    const webm = join(dir, 'tone.webm');
    // aselect drops the first 1.5 s, so the encoder's first frame carries pts 1.5 s (a late joiner).
    const encode = await engine.run({
      args: ['-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=f=440:d=4:r=48000', '-af', "aselect='gte(t,1.5)'", '-c:a', 'libopus', '-b:a', '32k', 'tone.webm'],
      outputs: [{ name: 'tone.webm', path: webm }],
    });
    expect(encode.exitCode).toBe(0);
    expect(encode.outputs).toEqual([{ name: 'tone.webm', sizeBytes: (await readFile(webm)).length, path: webm }]);

    const probe = await engine.probe({ name: 'tone.webm', path: webm });
    const audio = probe.streams?.find((s) => s.codec_type === 'audio');
    expect(audio?.codec_name).toBe('opus');
    // The first selected lavfi frame (1024 samples = 21.3 ms each) is at or just after 1.5 s.
    expect(Math.abs(Number(audio?.start_time) - 1.5)).toBeLessThan(0.025);

    const decode = await engine.run({
      args: ['-loglevel', 'error', '-i', 'tone.webm', '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', 'tone.wav'],
      inputs: [{ name: 'tone.webm', path: webm }],
      outputs: [{ name: 'tone.wav' }],
    });
    expect(decode.exitCode).toBe(0);
    const wav = readWav(decode.outputs[0]!.bytes!);
    expect(wav.sampleRateHz).toBe(16000);
    expect(wav.durationMs).toBeGreaterThan(2450);
    expect(wav.durationMs).toBeLessThan(2550);
  });

  it('takes inputs as bytes as well as paths, and returns outputs as bytes', async () => {
    const made = await engine.run({
      args: ['-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=d=1', '-c:a', 'flac', 'a.flac'],
      outputs: [{ name: 'a.flac' }, { name: 'never-written.wav' }],
    });
    expect(made.outputs.map((o) => o.name)).toEqual(['a.flac']);
    const bytes = made.outputs[0]!.bytes!;
    expect(bytes).toBeInstanceOf(Uint8Array);
    const probe = await engine.probe({ name: 'a.flac', data: bytes });
    expect(probe.streams?.[0]?.codec_name).toBe('flac');
  });

  it('reports progress of a long command', async () => {
    const seen: number[] = [];
    let firstAt = 0;
    const started = performance.now();
    const result = await engine.run({
      args: ['-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=d=300', '-c:a', 'libmp3lame', '-f', 'null', '-'],
      onProgress: (p) => {
        firstAt ||= performance.now();
        seen.push(p.timeSec);
      },
    });
    const endedAt = performance.now();
    expect(result.exitCode).toBe(0);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)!).toBeGreaterThan(seen[0]!);
    // Events arrive while the command runs, not in a burst at its end.
    expect(firstAt - started).toBeLessThan((endedAt - started) / 2);
  });

  it('runs N commands in parallel on the pool, queueing the rest', async () => {
    let maxBusy = 0;
    const jobs = Array.from({ length: 6 }, (_, i) =>
      engine.run({
        args: ['-loglevel', 'error', '-f', 'lavfi', '-i', `sine=f=${300 + i * 100}:d=30`, '-c:a', 'libopus', `t${i}.ogg`],
        outputs: [{ name: `t${i}.ogg` }],
        onProgress: () => (maxBusy = Math.max(maxBusy, engine.busy)),
      }),
    );
    expect(engine.busy).toBe(2);
    expect(engine.queued).toBe(4);
    const results = await Promise.all(jobs);
    expect(results.map((r) => r.exitCode)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(new Set(results.map((r) => r.outputs[0]!.sizeBytes)).size).toBeGreaterThan(1);
    expect(maxBusy).toBe(2);
    expect(engine.busy + engine.queued).toBe(0);
  });
});

describe('stopping work', () => {
  it('cancels a running command within 1 s, replaces its worker, and keeps the pool healthy', async () => {
    const before = engine.threadIds;
    const controller = new AbortController();
    const running = engine.run({ args: LONG_COMMAND, signal: controller.signal });
    await new Promise((r) => setTimeout(r, 500));
    expect(engine.busy).toBe(1);
    const abortedAt = performance.now();
    controller.abort(new Error('user cancelled'));
    const error = await running.catch((e: unknown) => e);
    expect(TracksError.isError(error, 'ENGINE_ABORTED')).toBe(true);
    expect((error as Error).message).toContain('user cancelled');
    // The rejection comes once the worker thread is gone: the work has really stopped.
    await waitUntil('no command busy', () => engine.busy === 0, { timeoutMs: 5000, intervalMs: 10 });
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    const after = engine.threadIds;
    expect(after).toHaveLength(2);
    expect(after).not.toEqual(before);
    const next = await engine.run({ args: ['-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=d=1', '-f', 'null', '-'] });
    expect(next.exitCode).toBe(0);
  });

  it('a stopped command leaves no half-written output and no open file descriptors', async () => {
    const out = join(dir, 'stopped.wav');
    const source = join(dir, 'long-source.flac');
    await engine.run({
      args: ['-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=d=600', '-c:a', 'flac', 'a.flac'],
      outputs: [{ name: 'a.flac', path: source }],
    });
    const controller = new AbortController();
    const running = engine.run({
      args: ['-loglevel', 'error', '-i', 'in.flac', '-af', 'aresample=44100', '-c:a', 'libmp3lame', 'o.mp3'],
      inputs: [{ name: 'in.flac', path: source }],
      outputs: [{ name: 'o.mp3', path: out }],
      signal: controller.signal,
    });
    await waitUntil('the output exists', () => existsSync(out), { timeoutMs: 5000, intervalMs: 10 });
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'ENGINE_ABORTED' });
    expect(existsSync(out)).toBe(false);
    // Descriptors are process-wide: none may still point at the files the killed worker had open.
    const open = await Promise.all((await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
    expect(open.filter((target) => target.startsWith(dir))).toEqual([]);
  });

  it('a failed command leaves no output file; one that never writes its output reports none', async () => {
    const out = join(dir, 'never.wav');
    const failed = await engine.run({ args: ['-loglevel', 'error', '-i', 'missing.webm', 'never.wav'], outputs: [{ name: 'never.wav', path: out }] });
    expect(failed.exitCode).not.toBe(0);
    expect(failed.outputs).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });

  it('drops a queued command when it is aborted before it starts', async () => {
    const blockers = [0, 1].map(() => new AbortController());
    const running = blockers.map((c) => engine.run({ args: LONG_COMMAND, signal: c.signal }).catch((e: unknown) => e));
    const controller = new AbortController();
    const queued = engine.run({ args: LONG_COMMAND, signal: controller.signal });
    expect(engine.queued).toBe(1);
    controller.abort();
    await expect(queued).rejects.toMatchObject({ code: 'ENGINE_ABORTED' });
    expect(engine.queued).toBe(0);
    for (const c of blockers) c.abort();
    expect((await Promise.all(running)).map((e) => (e as TracksError).code)).toEqual(['ENGINE_ABORTED', 'ENGINE_ABORTED']);
  });

  it('times out a command and stops it', async () => {
    const started = performance.now();
    const error = await engine.run({ args: LONG_COMMAND, timeoutMs: 700 }).catch((e: unknown) => e);
    expect(TracksError.isError(error, 'ENGINE_TIMEOUT')).toBe(true);
    expect(performance.now() - started).toBeLessThan(2000);
    const next = await engine.run({ args: ['-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=d=1', '-f', 'null', '-'] });
    expect(next.exitCode).toBe(0);
  });
});

describe('bad input', () => {
  it('garbage bytes: a non-zero exit code and the reason in the log; the worker survives', async () => {
    const before = engine.threadIds;
    const garbage = () => new Uint8Array(4096).map((_, i) => (i * 7919) % 251);
    const result = await engine.run({
      args: ['-loglevel', 'error', '-i', 'garbage.webm', '-f', 'null', '-'],
      inputs: [{ name: 'garbage.webm', data: garbage() }],
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.log.join('\n')).toMatch(/Invalid data found when processing input/);
    const probe = await engine.probe({ name: 'garbage.webm', data: garbage() }).catch((e: unknown) => e);
    expect(TracksError.isError(probe, 'MEDIA_UNREADABLE')).toBe(true);
    expect((probe as Error).message).toContain('garbage.webm');
    expect(engine.threadIds).toEqual(before);
  });

  it('rejects file names that could escape the working directory', async () => {
    await expect(engine.run({ args: [], inputs: [{ name: '../x', data: new Uint8Array(1) }] })).rejects.toMatchObject({ code: 'ENGINE_BAD_REQUEST' });
    await expect(engine.run({ args: [], outputs: [{ name: 'a/b.wav' }] })).rejects.toMatchObject({ code: 'ENGINE_BAD_REQUEST' });
  });

  it('a missing input file fails with a clear error, not a crash', async () => {
    const error = await engine
      .run({ args: ['-i', 'x.webm', '-f', 'null', '-'], inputs: [{ name: 'x.webm', path: join(dir, 'does-not-exist') }] })
      .catch((e: unknown) => e);
    expect(String((error as Error).message)).toContain('does-not-exist');
    expect(engine.threadIds).toHaveLength(2);
  });
});

describe('a worker that dies', () => {
  it('fails its command with ENGINE_WORKER_CRASHED and is replaced', async () => {
    const crashing = await createNodeEngine({ workers: 1, workerUrl: new URL('./crash-worker.mjs', import.meta.url) });
    try {
      const [before] = crashing.threadIds;
      const error = await crashing.run({ args: ['-crash-test'] }).catch((e: unknown) => e);
      expect(TracksError.isError(error, 'ENGINE_WORKER_CRASHED')).toBe(true);
      expect((error as Error).message).toMatch(/exit code 70/);
      const ok = await crashing.run({ args: ['-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=d=1', '-f', 'null', '-'] });
      expect(ok.exitCode).toBe(0);
      expect(crashing.threadIds).not.toContain(before);
    } finally {
      await crashing.close();
    }
  });

  it('a trap inside the core fails its command with ENGINE_COMMAND_FAILED, and the next command runs on a fresh worker', async () => {
    // 20 s cut with `-c copy` from the bench's synthetic Daily track (npm run bench, BENCH_MINUTES=15;
    // libopus at 32k voip, as src/demo/synthetic-meeting.ts makes it). ffmpeg's own Opus decoder
    // reads it; the core's libopus decoder traps on it.
    const path = fileURLToPath(new URL('../fixtures/libopus-trap.webm', import.meta.url));
    const trapping = await createNodeEngine({ workers: 1 });
    try {
      const [before] = trapping.threadIds;
      const error = await trapping
        .run({ args: ['-loglevel', 'error', '-c:a', 'libopus', '-i', 't.webm', '-f', 'null', '-'], inputs: [{ name: 't.webm', path }] })
        .catch((e: unknown) => e);
      expect(TracksError.isError(error, 'ENGINE_COMMAND_FAILED')).toBe(true);
      expect((error as Error).message).toMatch(/memory access out of bounds/);
      const ok = await trapping.run({ args: ['-loglevel', 'error', '-i', 't.webm', '-f', 'null', '-'], inputs: [{ name: 't.webm', path }] });
      expect(ok.exitCode).toBe(0);
      expect(trapping.threadIds).not.toContain(before);
    } finally {
      await trapping.close();
    }
  });

  it('closing the engine fails running and queued work with ENGINE_CLOSED, and stops the workers', async () => {
    const closing = await createNodeEngine({ workers: 1 });
    const running = closing.run({ args: LONG_COMMAND }).catch((e: unknown) => e);
    const queued = closing.run({ args: LONG_COMMAND }).catch((e: unknown) => e);
    await waitUntil('one command busy', () => closing.busy === 1, { timeoutMs: 5000, intervalMs: 10 });
    await closing.close();
    expect(((await queued) as TracksError).code).toBe('ENGINE_CLOSED');
    expect(((await running) as TracksError).code).toBe('ENGINE_CLOSED');
    expect(closing.threadIds).toEqual([]);
    await expect(closing.run({ args: [] })).rejects.toMatchObject({ code: 'ENGINE_CLOSED' });
  });
});
