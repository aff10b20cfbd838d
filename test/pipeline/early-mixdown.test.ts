/**
 * Mixdown segments that start while the last renders run (src/pipeline/early-mixdown.ts): when
 * they may start (pure scheduling, over stand-ins), and that they change nothing in the mixdown
 * (the real engine on the fixture meeting, and ffmpeg reading a WAV that is still being written).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sharedEngine } from '../helpers/shared-engine.ts';
import type { Engine, RunRequest } from '../../src/engine/engine.ts';
import { processFiles } from '../../src/pipeline/process-files.ts';
import { planMixdownSegments, type MixdownSegment } from '../../src/mix/mixdown-segments.ts';
import { mixdownSegmentArgs } from '../../src/mix/mixdown-args.ts';
import { startEarlyMixdown } from '../../src/pipeline/early-mixdown.ts';
import type { SegmentResult } from '../../src/pipeline/types.ts';
import { fixtureMeeting, type FixtureMeeting } from '../helpers/fixture-meeting.ts';

describe('early mixdown scheduling', () => {
  // Three 20-second segments of a one-minute meeting; 16 kHz tracks: segment k needs its end + 1 s.
  const plan = planMixdownSegments(60_000, 3, 48000);
  const needed = (s: MixdownSegment) => 4096 + 2 * Math.ceil((s.seekMs / 1000 + s.trimEndSample / 48000 + 1) * 16000);
  const setup = (sizes: Map<string, number>) => {
    const mixed: number[] = [];
    const early = startEarlyMixdown({
      slots: 2,
      plan,
      trackPaths: ['a.wav', 'b.wav', 'c.wav'],
      renderRateHz: 16000,
      mixRateHz: 48000,
      sizeOf: async (path) => sizes.get(path) ?? 0,
      mix: async (segment) => {
        mixed.push(segment.index);
        return { segment, output: { name: `m${segment.index}`, sizeBytes: 1 } } satisfies SegmentResult;
      },
    });
    return { early, mixed };
  };

  it('starts nothing while every slot renders, then the segments the unfinished tracks already hold, in order', async () => {
    const sizes = new Map([
      ['a.wav', 10_000_000],
      ['b.wav', needed(plan[0]!)],
      ['c.wav', needed(plan[1]!)],
    ]);
    const { early, mixed } = setup(sizes);
    early.renderEnded(0, true); // b and c still render on both slots
    await new Promise((r) => setTimeout(r, 250));
    expect(mixed).toEqual([]);
    early.renderEnded(1, true); // a slot is free; c holds segments 0 and 1 but not 2
    await vi.waitFor(() => expect(mixed).toEqual([0, 1]));
    await new Promise((r) => setTimeout(r, 250));
    expect(mixed).toEqual([0, 1]);
    sizes.set('c.wav', needed(plan[2]!)); // found by the next look at the sizes
    await vi.waitFor(() => expect(mixed).toEqual([0, 1, 2]));
    const started = early.stop();
    expect([...started.keys()]).toEqual([0, 1, 2]);
    expect((await started.get(2))?.output.name).toBe('m2');
  });

  it('starts nothing more after a render failed or after stop, and a failed segment comes back as null', async () => {
    const sizes = new Map([['c.wav', needed(plan[2]!)]]);
    const { early, mixed } = setup(sizes);
    early.renderEnded(0, false);
    early.renderEnded(1, true);
    await new Promise((r) => setTimeout(r, 250));
    expect(mixed).toEqual([]);
    expect(early.stop().size).toBe(0);

    let attempts = 0;
    const failing = startEarlyMixdown({
      slots: 2,
      plan,
      trackPaths: ['a.wav', 'b.wav'],
      renderRateHz: 16000,
      mixRateHz: 48000,
      sizeOf: async () => 10_000_000,
      mix: async () => {
        attempts++;
        throw new Error('ffmpeg said no');
      },
    });
    failing.renderEnded(0, true);
    await vi.waitFor(() => expect(attempts).toBe(3));
    const started = failing.stop();
    expect(await Promise.all([...started.values()])).toEqual([null, null, null]);
  });
});

describe('early mixdown output', () => {
  let engine: Engine;
  let meeting: FixtureMeeting;

  beforeAll(async () => {
    engine = await sharedEngine();
    meeting = await fixtureMeeting();
  });

  it('is byte for byte the mixdown made after all renders, also when segments start while the longest render is held back', async () => {
    const inputs = Object.values(meeting.paths);
    const mixdown = { segments: 6 };
    const after = await processFiles(inputs, { engine, outDir: join(meeting.dir, 'after'), trackFormat: 'wav', mixdown, fileSize: async () => 0 });
    // The longest render's result is held back until a mixdown segment has started: the pipeline
    // sees a slot free and that render unfinished, with its file long written.
    let segmentStarted: () => void = () => {};
    const segmentStarts = new Promise<void>((resolve) => (segmentStarted = resolve));
    const longest = meeting.paths.lateJoiner.split('/').at(-1)!;
    const holding: Engine = {
      concurrency: engine.concurrency,
      probe: engine.probe.bind(engine),
      close: async () => {},
      run: async (request: RunRequest) => {
        if (request.outputs?.[0]?.name.startsWith('mixdown-')) segmentStarted();
        const result = await engine.run(request);
        if (request.outputs?.[0]?.path?.includes(longest)) await segmentStarts;
        return result;
      },
    };
    const early = await processFiles(inputs, { engine: holding, outDir: join(meeting.dir, 'early'), trackFormat: 'wav', mixdown });
    expect(after.timeline.tracks.length).toBeGreaterThan(2);
    expect(await readFile(early.mixdownPath)).toEqual(await readFile(after.mixdownPath));
  });

  it('reads a WAV that is still being written (data size 0xFFFFFFFF, cut short) like the finished file, up to where it ends', async () => {
    const run = await processFiles([meeting.paths.fromZero], { engine, outDir: join(meeting.dir, 'one'), trackFormat: 'wav' });
    const wav = join(meeting.dir, 'one', run.timeline.tracks[0]!.output!);
    const whole = await readFile(wav);
    // What the muxer leaves until its trailer: RIFF and data sizes at 0xFFFFFFFF (libavformat/wavenc.c).
    const growing = Buffer.from(whole.subarray(0, whole.length - 64_000));
    growing.writeUInt32LE(0xffffffff, 4);
    growing.writeUInt32LE(0xffffffff, growing.indexOf('data') + 4);
    const growingPath = join(meeting.dir, 'growing.wav');
    await writeFile(growingPath, growing);
    expect((await stat(growingPath)).size).toBeLessThan(whole.length);
    const [segment] = planMixdownSegments(10_000, 1, 48000);
    const mix = async (path: string, out: string) => {
      const result = await engine.run({
        args: mixdownSegmentArgs(['in.wav'], segment!, 'o.mp3', {}, 16000),
        inputs: [{ name: 'in.wav', path }],
        outputs: [{ name: 'o.mp3', path: join(meeting.dir, out) }],
      });
      expect(result.exitCode).toBe(0);
      return readFile(join(meeting.dir, out));
    };
    expect(await mix(growingPath, 'growing.mp3')).toEqual(await mix(wav, 'whole.mp3'));
  });
});
