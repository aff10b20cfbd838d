/**
 * `npm run bench:quality`: what the encoders' settings cost and what they keep.
 *
 * Opus renders (the default track format): the first track rendered at libopus complexity 10
 * (its default, used until the performance work), 5 (shipped) and 3, each timed on one worker
 * and, decoded at 48 kHz, compared with the source decoded the same way (waveform SNR).
 *
 * The mixdown: the generated
 * meeting of `npm run bench` (BENCH_MINUTES, default 15; inputs cached in .cache/bench) is
 * rendered to 16 kHz WAV once, then mixed three ways from those renders, one command each on one
 * worker:
 *
 * - `unencoded`: the mix before the encoder (s16 PCM at 48 kHz), the reference;
 * - `before`: the mixdown as it was until the performance work (limiter after the resampler,
 *   LAME's default algorithm quality);
 * - `now`: `mixdownSegmentArgs` as shipped (mix/mixdown-args.ts), one segment.
 *
 * Prints the encode time of each and, decoded at 48 kHz, the SNR of `before` and `now` against
 * the unencoded mix (aligned by LAME's 1105-sample delay) and of `now` against `before`.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createNodeEngine } from '../../src/engine/node-engine.ts';
import { BENCH_ROOT, benchInputs } from './bench-inputs.ts';
import { processFiles } from '../../src/pipeline/process-files.ts';
import { mixdownSegmentArgs } from '../../src/mix/mixdown-args.ts';
import { planMixdownSegments } from '../../src/mix/mixdown-segments.ts';
import { renderTrackArgs } from '../../src/mix/render-args.ts';
import { RESAMPLER_FILTER_SIZE } from '../../src/mix/resampler.ts';

const minutes = Number(process.env.BENCH_MINUTES ?? 15);
const work = join(BENCH_ROOT, 'quality');
const LAME_DELAY_SAMPLES = 1105;

const { paths, tracks } = await benchInputs(minutes);
const engine = await createNodeEngine({ workers: 1 });
await rm(work, { recursive: true, force: true });
const rendered = await processFiles(paths, { engine, outDir: join(work, 'renders'), trackFormat: 'wav' });
const wavs = rendered.timeline.tracks.flatMap((t) => (t.output ? [join(work, 'renders', t.output)] : []));
const names = wavs.map((_, i) => `in${i}.wav`);
const inputs = () => wavs.map((path, i) => ({ name: names[i]!, path }));
const [whole] = planMixdownSegments(rendered.timeline.durationMs, 1, 48000);

const mixChain = (order: 'limit-then-resample' | 'resample-then-limit') => {
  const amix = `${names.map((_, i) => `[${i}:a]`).join('')}amix=inputs=${names.length}:normalize=0:duration=longest:dropout_transition=0`;
  const limit = 'alimiter=limit=0.95:level=0:latency=1';
  const steps = order === 'limit-then-resample' ? [amix, limit, 'aresample=48000'] : [amix, 'aresample=48000', limit];
  return `${steps.join(',')},atrim=start_sample=${whole!.trimStartSample}:end_sample=${whole!.trimEndSample},asetpts=N/SR/TB[mix]`;
};
const bareMp3 = ['-reservoir', '0', '-write_xing', '0', '-id3v2_version', '0', '-f', 'mp3'];
const variants: Record<string, string[]> = {
  // The reference: the shipped chain, stopped before the encoder. Its samples start LAME's delay early.
  unencoded: ['-filter_complex', mixChain('limit-then-resample'), '-map', '[mix]', '-ac', '1', '-c:a', 'pcm_s16le', '-f', 's16le', 'unencoded.pcm'],
  before: [
    '-filter_complex',
    mixChain('resample-then-limit'),
    '-map',
    '[mix]',
    '-ac',
    '1',
    '-ar',
    '48000',
    '-c:a',
    'libmp3lame',
    '-b:a',
    '128k',
    ...bareMp3,
    'before.mp3',
  ],
  now: mixdownSegmentArgs(names, whole!, 'now.mp3', {}, 16000).filter(
    (a, i, all) => a !== '-loglevel' && all[i - 1] !== '-loglevel' && !names.includes(a) && a !== '-i',
  ),
};

const pcm = async (path: string): Promise<Int16Array> => {
  const bytes = await readFile(path);
  return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
};
/** One command over one input file on the bench's worker, its output into `work`; the seconds it took. */
const timedRun = async (label: string, args: string[], source: string, out: string): Promise<number> => {
  const started = performance.now();
  const result = await engine.run({ args, inputs: [{ name: 'in', path: source }], outputs: [{ name: out, path: join(work, out) }] });
  if (result.exitCode !== 0) throw new Error(`${label}: ${result.log.join('\n')}`);
  return (performance.now() - started) / 1000;
};
const decoded: Record<string, Int16Array> = {};
for (const [name, args] of Object.entries(variants)) {
  const out = args.at(-1)!;
  const started = performance.now();
  const result = await engine.run({
    args: ['-loglevel', 'error', ...names.flatMap((n) => ['-i', n]), ...args],
    inputs: inputs(),
    outputs: [{ name: out, path: join(work, out) }],
  });
  if (result.exitCode !== 0) throw new Error(`${name}: ${result.log.join('\n')}`);
  const encodeSec = (performance.now() - started) / 1000;
  if (name !== 'unencoded') {
    const back = await engine.run({
      args: ['-loglevel', 'error', '-i', 'in.mp3', '-ac', '1', '-ar', '48000', '-c:a', 'pcm_s16le', '-f', 's16le', 'out.pcm'],
      inputs: [{ name: 'in.mp3', path: join(work, out) }],
      outputs: [{ name: 'out.pcm', path: join(work, `${name}.pcm`) }],
    });
    if (back.exitCode !== 0) throw new Error(`decoding ${name}: ${back.log.join('\n')}`);
  }
  decoded[name] = await pcm(join(work, `${name}.pcm`));
  console.log(`  ${name.padEnd(9)} ${encodeSec.toFixed(2)} s to make (${minutes} min, ${names.length} tracks, one worker)`);
}

/** SNR of `test` against `reference`, `test` lagging by `lag` samples. */
const snrDb = (reference: Int16Array, test: Int16Array, lag: number): number => {
  let signal = 0;
  let noise = 0;
  const n = Math.min(reference.length, test.length - lag);
  for (let i = Math.max(0, -lag); i < n; i++) {
    const x = reference[i]!;
    const e = x - test[i + lag]!;
    signal += x * x;
    noise += e * e;
  }
  return 10 * Math.log10(signal / noise);
};
/** SNR at the best alignment within ±10 ms (an Opus decode may sit a sample off the source's). */
const bestLagSnrDb = (reference: Int16Array, test: Int16Array): number => {
  const probe = reference.subarray(0, 48000 * 60);
  let best = { lag: 0, db: Number.NEGATIVE_INFINITY };
  for (let lag = -480; lag <= 480; lag++) {
    const db = snrDb(probe, test, lag);
    if (db > best.db) best = { lag, db };
  }
  return snrDb(reference, test, best.lag);
};
console.log(
  `  SNR against the unencoded mix: before ${snrDb(decoded.unencoded!, decoded.before!, LAME_DELAY_SAMPLES).toFixed(2)} dB, ` +
    `now ${snrDb(decoded.unencoded!, decoded.now!, LAME_DELAY_SAMPLES).toFixed(2)} dB; now against before ${snrDb(decoded.before!, decoded.now!, 0).toFixed(2)} dB`,
);

// The 16 kHz render's resampler (mix/resampler.ts): the first track rendered with the shipped
// filter size, libswresample's default (32, used until then) and a long one (128) as the
// reference, each timed on one worker (three times, the fastest counts: the first run also tiers the code up).
{
  const source = paths[0]!;
  const track = rendered.timeline.tracks.find((t) => t.file === tracks[0]!.name)!;
  const render = async (filterSize: number): Promise<{ sec: number; pcm: Int16Array }> => {
    const shipped = renderTrackArgs(track, 'wav', { inputName: 'in', outputName: 'x' });
    const args = [
      ...shipped.slice(0, -5).map((a) => a.replace(`filter_size=${RESAMPLER_FILTER_SIZE}`, `filter_size=${filterSize}`)),
      '-c:a',
      'pcm_s16le',
      '-f',
      's16le',
      `fs${filterSize}.pcm`,
    ];
    let sec = Number.POSITIVE_INFINITY;
    for (let run = 0; run < 3; run++) sec = Math.min(sec, await timedRun(`render fs${filterSize}`, args, source, `fs${filterSize}.pcm`));
    return { sec, pcm: await pcm(join(work, `fs${filterSize}.pcm`)) };
  };
  const long = await render(128);
  const before = await render(32);
  const now = await render(RESAMPLER_FILTER_SIZE);
  console.log(
    `  wav render (${(track.endMs / 60000).toFixed(1)} min track, one worker): resampler filter 32 ${before.sec.toFixed(2)} s, ` +
      `${RESAMPLER_FILTER_SIZE} (shipped) ${now.sec.toFixed(2)} s; SNR against filter 128: 32 ${snrDb(long.pcm, before.pcm, 0).toFixed(2)} dB, ` +
      `${RESAMPLER_FILTER_SIZE} ${snrDb(long.pcm, now.pcm, 0).toFixed(2)} dB; ${RESAMPLER_FILTER_SIZE} against 32 ${snrDb(before.pcm, now.pcm, 0).toFixed(2)} dB`,
  );
}

// Opus renders at three complexities against the source, all decoded to 48 kHz PCM.
{
  const source = paths[0]!;
  const track = rendered.timeline.tracks.find((t) => t.file === tracks[0]!.name)!;
  const decode = async (path: string, name: string, filter: string[] = []): Promise<Int16Array> => {
    const out = `${name}.pcm`;
    const result = await engine.run({
      args: ['-loglevel', 'error', '-copyts', '-i', 'in', ...filter, '-ac', '1', '-ar', '48000', '-c:a', 'pcm_s16le', '-f', 's16le', out],
      inputs: [{ name: 'in', path }],
      outputs: [{ name: out, path: join(work, out) }],
    });
    if (result.exitCode !== 0) throw new Error(`decoding ${name}: ${result.log.join('\n')}`);
    return pcm(join(work, out));
  };
  const reference = await decode(source, 'opus-source', ['-af', 'aresample=48000:async=1:min_hard_comp=0.001:first_pts=0']);
  const shipped = renderTrackArgs(track, 'opus', { inputName: 'in', outputName: 'x' });
  const at = shipped.indexOf('-compression_level');
  for (const complexity of ['10', '5', '3']) {
    const args = [...shipped.slice(0, at + 1), complexity, ...shipped.slice(at + 2, -1), `c${complexity}.webm`];
    const sec = await timedRun(`opus c${complexity}`, args, source, `c${complexity}.webm`);
    const decodedOpus = await decode(join(work, `c${complexity}.webm`), `c${complexity}`);
    console.log(
      `  opus render, complexity ${complexity.padEnd(2)} ${sec.toFixed(2)} s (${(track.endMs / 60000).toFixed(1)} min track, one worker), ` +
        `SNR against the source ${bestLagSnrDb(reference, decodedOpus).toFixed(2)} dB${complexity === shipped[at + 1] ? ' (shipped)' : ''}`,
    );
  }
}

await engine.close();
if (!process.env.BENCH_KEEP) await rm(work, { recursive: true, force: true });
