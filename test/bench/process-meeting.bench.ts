/**
 * `npm run bench`: a generated 4-track meeting (60 minutes per track by default, offsets, mutes,
 * lost packets, DTX), full `process --track-format wav`, then `inspect`. Prints wall time,
 * realtime factor (seconds of track audio per second), and peak RSS of the whole process tree
 * (this process plus its worker threads).
 *
 * Then the same `process --track-format wav` from the shell (a fresh process: Node's and the engine's
 * start count), which is what a user waits for.
 *
 * Where a native `ffmpeg` happens to be on PATH it also times the equivalent native work as a
 * yardstick (never a dependency): per track `-copyts` + `aresample=async=1:first_pts=0` to 16 kHz
 * WAV, then `amix=normalize=0` → MP3 128k, one command after another.
 *
 * A profile of both formats (wav, then the default opus; BENCH_OPUS=0 skips it): probe, every
 * render and mixdown segment inside its worker, the join, and each pool slot's idle time.
 *
 * Then speech: talk and crosstalk found, the VAD's CPU per hour of audio against the process time,
 * the cross-track bleed analysis's CPU per track-hour and per pair examined (bleed-cost.ts),
 * and what transcribing the meeting sends (requests, seconds of audio against the tracks' length)
 * to a local stand-in server.
 *
 * Last, the default Opus renders (packets copied) against `--reencode` and native ffmpeg making
 * the same outputs (opus-copy.bench.ts).
 *
 * Options: BENCH_MINUTES (default 60), BENCH_WORKERS (default: cores), BENCH_KEEP=1 keeps outputs,
 * BENCH_ROUNDS (interleaved rounds of the copy comparison, default 1).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { delimiter, join } from 'node:path';
import { createNodeEngine } from '../../src/engine/node-engine.ts';
import { BENCH_ROOT, benchInputs } from './bench-inputs.ts';
import { inspectFiles, processFiles } from '../../src/pipeline/process-files.ts';
import { decodeToPcm } from '../helpers/decode.ts';
import { firstSoundMs, readWav } from '../helpers/wav.ts';
import { startTranscriberStandIn } from '../helpers/transcriber-server.ts';
import { printProfile, profiledEngine } from './stage-profile.ts';
import { measureBleed, trackFeatures } from './bleed-cost.ts';
import { loadFvad } from '../../src/speech/fvad.ts';
import { createSpeechAnalyzer } from '../../src/speech/speech-analyzer.ts';
import { speechRegions } from '../../src/speech/speech-regions.ts';
import { transcribeTimeline } from '../../src/transcription/transcribe-timeline.ts';
import { createTranscriber } from '../../src/transcription/transcriber.ts';
import { speakerOfTimeline } from '../../src/recordings/speaker-names.ts';

const minutes = Number(process.env.BENCH_MINUTES ?? 60);
const workers = Number(process.env.BENCH_WORKERS ?? availableParallelism());
const root = BENCH_ROOT;
const outDir = join(root, 'out');
const { tracks, paths } = await benchInputs(minutes);
const trackSec = tracks.reduce((sum, t) => sum + (t.endSec - t.startSec), 0);
const inputBytes = (await Promise.all(paths.map((p) => stat(p)))).reduce((s, x) => s + x.size, 0);

console.log(
  `process bench: ${tracks.length} tracks, ${minutes} min meeting, ${(trackSec / 60).toFixed(1)} min of track audio, ` +
    `${(inputBytes / 2 ** 20).toFixed(1)} MiB in; ${workers} workers on ${cpus()[0]?.model ?? '?'} × ${availableParallelism()}, node ${process.version}`,
);

const t0 = performance.now();
const timeline = await inspectFiles(paths);
const inspectSec = (performance.now() - t0) / 1000;

await rm(outDir, { recursive: true, force: true });
const pool = await createNodeEngine({ workers });
const { engine, commands } = profiledEngine(pool);
const t1 = performance.now();
const stages: Record<string, number> = {};
const result = await processFiles(paths, {
  engine,
  outDir,
  trackFormat: 'wav',
  onProgress: (e) => {
    stages[e.stage] ??= performance.now();
  },
});
const processSec = (performance.now() - t1) / 1000;
await engine.close();
const profileWav = () => printProfile('wav', workers, t1, stages, t1 + processSec * 1000, commands);
const renderSec = ((stages.mixdown ?? 0) - (stages.render ?? 0)) / 1000;

console.log(`  inspect: ${inspectSec.toFixed(2)} s (${timeline.tracks.length} tracks, ${timeline.tracks.reduce((s, t) => s + t.gaps.length, 0)} gaps)`);
console.log(
  `  process: ${processSec.toFixed(1)} s wall (render ${renderSec.toFixed(1)} s, mixdown ${(processSec - renderSec).toFixed(1)} s), ` +
    `${(trackSec / processSec).toFixed(0)}× realtime; meeting ${(result.timeline.durationMs / 60000).toFixed(2)} min`,
);
console.log(`  peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
profileWav();

// The default format (Opus in WebM), profiled the same way (no placement checks: same timeline).
if (process.env.BENCH_OPUS !== '0') {
  const pool = await createNodeEngine({ workers });
  const profiled = profiledEngine(pool);
  const marks: Record<string, number> = {};
  const start = performance.now();
  await processFiles(paths, {
    engine: profiled.engine,
    outDir: join(root, 'out-opus'),
    onProgress: (e) => {
      marks[e.stage] ??= performance.now();
    },
  });
  const end = performance.now();
  await pool.close();
  console.log(`  process (opus, the default): ${((end - start) / 1000).toFixed(1)} s wall`);
  printProfile('opus', workers, start, marks, end, profiled.commands);
  await rm(join(root, 'out-opus'), { recursive: true, force: true });
}

// Placement over the whole hour: every beep of every track, in its rendered track and in the mixdown.
{
  const check = await createNodeEngine({ workers });
  const errors: number[] = [];
  const mix = await decodeToPcm(check, result.mixdownPath);
  for (const track of tracks) {
    const rendered = result.timeline.tracks.find((t) => t.file === track.name);
    if (!rendered?.output) continue;
    const pcm = readWav(await readFile(join(outDir, rendered.output)));
    for (const beep of track.beepsSec ?? []) {
      for (const where of [pcm, mix]) errors.push((firstSoundMs(where, 16000, beep * 1000 - 400) ?? Number.POSITIVE_INFINITY) - beep * 1000);
    }
  }
  await check.close();
  const worst = errors.reduce((w, e) => (Math.abs(e) > Math.abs(w) ? e : w), 0);
  console.log(`  placement: ${errors.length} beeps checked in tracks and mixdown over ${minutes} min, worst error ${worst.toFixed(1)} ms`);
}

// What a second core is worth on this machine: the same wasm command alone, then two at once. On a
// VM whose two vCPUs share a physical core (or its host is busy) two at once take much longer than
// one, and no pool can do better than that factor over a one-process native run.
{
  const pool = await createNodeEngine({ workers: 2 });
  const decode = () =>
    pool.run({ args: ['-loglevel', 'error', '-i', 'in.webm', '-t', '300', '-f', 'null', '-'], inputs: [{ name: 'in.webm', path: paths[0]! }] });
  await decode(); // warm: the core's code tiered up
  const t = performance.now();
  await decode();
  const aloneSec = (performance.now() - t) / 1000;
  const t2 = performance.now();
  await Promise.all([decode(), decode()]);
  const pairSec = (performance.now() - t2) / 1000;
  await pool.close();
  console.log(
    `  two cores: one 5-min decode alone ${aloneSec.toFixed(2)} s, two at once ${pairSec.toFixed(2)} s → ` +
      `two workers do ${((2 * aloneSec) / pairSec).toFixed(2)}× the work of one`,
  );
}

// Speech: what was found, what the VAD costs, and what a transcription sends (a local stand-in
// server that derives words from the audio, test/helpers/transcriber-server.ts).
{
  const found = result.timeline.tracks.map((t) => `${t.participantId?.slice(0, 4)} ${((t.talkMs ?? 0) / 1000).toFixed(0)} s`).join(', ');
  console.log(`  speech: ${found}; crosstalk ${((result.timeline.crosstalkMs ?? 0) / 1000).toFixed(1)} s`);
  const probe = await createNodeEngine({ workers: 1 });
  const track = result.timeline.tracks[0]!;
  const pcm = await probe.run({
    args: ['-loglevel', 'error', '-i', 'in.wav', '-ac', '1', '-ar', '8000', '-c:a', 'pcm_s16le', '-f', 's16le', 'speech.pcm'],
    inputs: [{ name: 'in.wav', path: join(outDir, track.output!) }],
    outputs: [{ name: 'speech.pcm' }],
  });
  const bytes = pcm.outputs[0]!.bytes!;
  const fvad = await loadFvad();
  const t3 = performance.now();
  const analyzer = createSpeechAnalyzer(fvad);
  for (let at = 0; at < bytes.length; at += 1 << 16) analyzer.push(bytes.subarray(at, at + (1 << 16)));
  speechRegions(analyzer.finish());
  const vadSecPerHour = ((performance.now() - t3) / 1000) * (3600 / (bytes.length / 16000));
  const vadSec = (vadSecPerHour * trackSec) / 3600;
  console.log(
    `  VAD: ${vadSecPerHour.toFixed(2)} s of CPU per hour of audio → ${vadSec.toFixed(1)} s for this meeting's ${(trackSec / 3600).toFixed(1)} h, ` +
      `${((vadSec / processSec) * 100).toFixed(1)}% of the process wall time (run inside the render workers)`,
  );
  // The cross-track bleed analysis over this meeting's tracks (the pipeline runs it on the pool after the renders).
  measureBleed(
    `this meeting, ${result.timeline.tracks.length} tracks`,
    await Promise.all(result.timeline.tracks.map((t) => trackFeatures(probe, join(outDir, t.output!)))),
  );
  const server = await startTranscriberStandIn();
  const t4 = performance.now();
  const { transcript, stats } = await transcribeTimeline({
    engine: probe,
    transcriber: createTranscriber({ apiUrl: server.url }),
    timeline: result.timeline,
    renderedPath: (t) => join(outDir, t.output!),
    speakerOf: speakerOfTimeline(result.timeline),
    workDir: outDir,
  });
  console.log(
    `  transcription: ${stats.requests} requests, ${(stats.audioSentMs / 1000).toFixed(0)} s of audio sent of ${(stats.tracksMs / 1000).toFixed(0)} s of tracks ` +
      `(${((stats.audioSentMs / stats.tracksMs) * 100).toFixed(1)}%), ${transcript.words.length} words, ${((performance.now() - t4) / 1000).toFixed(1)} s with the stand-in`,
  );
  await server.close();
  await probe.close();
}

// The command as a user runs it, right before the native yardstick: a fresh process, so Node's and
// the engine's start, the probes and the exit count too (the in-process figure above does not).
const cliOut = join(root, 'out-cli');
await rm(cliOut, { recursive: true, force: true });
const tCli = performance.now();
const cli = spawnSync(
  process.execPath,
  [join(process.cwd(), 'bin', 'reflector-tracks.mjs'), 'process', '--quiet', '--track-format', 'wav', '--out', cliOut, ...paths],
  {
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
const cliSec = (performance.now() - tCli) / 1000;
await rm(cliOut, { recursive: true, force: true });
console.log(`  from the shell, reflector-tracks process --track-format wav: ${cliSec.toFixed(1)} s${cli.status === 0 ? '' : ` (FAILED, exit ${cli.status})`}`);
const ratios = (nativeSec: number) => `wasm/native ratio ${(processSec / nativeSec).toFixed(2)} (from the shell ${(cliSec / nativeSec).toFixed(2)})`;

// The native yardstick, only if one is installed. Resolved from PATH explicitly so it is never
// picked up by accident anywhere else; the project itself never runs it.
const nativeFfmpeg = process.env.PATH?.split(delimiter)
  .map((d) => join(d, 'ffmpeg'))
  .find((p) => existsSync(p));
if (nativeFfmpeg) {
  const nativeOut = join(root, 'native');
  await rm(nativeOut, { recursive: true, force: true });
  await mkdir(nativeOut, { recursive: true });
  const t2 = performance.now();
  const wavs = paths.map((p, i) => {
    const out = join(nativeOut, `t${i}.wav`);
    spawnSync(nativeFfmpeg, ['-v', 'error', '-y', '-copyts', '-i', p, '-af', 'aresample=async=1:first_pts=0,aresample=16000', '-ac', '1', out], {
      stdio: 'inherit',
    });
    return out;
  });
  // The obvious native mixdown: mono 48 kHz MP3 at 128k, LAME's default quality.
  const nativeMp3 = ['-ac', '1', '-ar', '48000', '-c:a', 'libmp3lame', '-b:a', '128k'];
  const mixStarted = performance.now();
  spawnSync(
    nativeFfmpeg,
    [
      '-v',
      'error',
      '-y',
      ...wavs.flatMap((w) => ['-i', w]),
      '-filter_complex',
      `amix=inputs=${wavs.length}:normalize=0:duration=longest`,
      ...nativeMp3,
      join(nativeOut, 'mix.mp3'),
    ],
    { stdio: 'inherit' },
  );
  const mixFromWavsSec = (performance.now() - mixStarted) / 1000;
  const nativeSec = (performance.now() - t2) / 1000;
  const version = execFileSync(nativeFfmpeg, ['-version']).toString().split('\n')[0];
  console.log(`  native (${version}): ${nativeSec.toFixed(1)} s → ${ratios(nativeSec)}`);
  // The variant issue 15 measured: the mixdown decodes the four Opus sources again (renders as above).
  const renderSec = nativeSec - mixFromWavsSec;
  const t3 = performance.now();
  spawnSync(
    nativeFfmpeg,
    [
      '-v',
      'error',
      '-y',
      '-copyts',
      ...paths.flatMap((p) => ['-i', p]),
      '-filter_complex',
      `${paths.map((_, i) => `[${i}:a]aresample=async=1:first_pts=0[a${i}]`).join(';')};${paths.map((_, i) => `[a${i}]`).join('')}amix=inputs=${paths.length}:normalize=0:duration=longest`,
      ...nativeMp3,
      join(nativeOut, 'mix-from-sources.mp3'),
    ],
    { stdio: 'inherit' },
  );
  const fromSourcesSec = renderSec + (performance.now() - t3) / 1000;
  console.log(`  native, mixdown from the Opus sources: ${fromSourcesSec.toFixed(1)} s → ${ratios(fromSourcesSec)}`);
} else {
  console.log('  native ffmpeg: not on PATH, no yardstick run');
}
if (!process.env.BENCH_KEEP) await rm(outDir, { recursive: true, force: true });

// The default Opus renders (packets copied) against --reencode and native ffmpeg, from the shell in
// interleaved rounds (opus-copy.bench.ts; `npm run bench:copy` alone).
spawnSync(process.execPath, [join(process.cwd(), 'test', 'bench', 'opus-copy.bench.ts')], {
  stdio: 'inherit',
  env: { ...process.env, BENCH_MINUTES: String(minutes), BENCH_ROUNDS: process.env.BENCH_ROUNDS ?? '1' },
});
