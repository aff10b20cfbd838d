/**
 * `npm run bench:copy` (also the last part of `npm run bench`): the default `process` (Opus
 * renders copied from the sources, src/mix/opus-copy/) against `process --reencode` (decoded and
 * encoded again, the path before) and, where a native `ffmpeg` happens to be on PATH, native
 * ffmpeg making the same outputs with the same settings one command after another (per track:
 * gap-filled, libopus 32k voip complexity 5 in WebM; then the MP3 mixdown of those renders). The
 * project never runs native ffmpeg; this is a yardstick only.
 *
 * Each variant runs from the shell as a fresh process, in interleaved rounds (copy, re-encode,
 * native, copy, …) so a loaded or drifting machine weighs on all of them alike; ratios are taken
 * within a round. CPU time and peak RSS come from the process itself (report-rusage.mjs).
 *
 * On a shared, loaded machine wall times stretch with the load and a single-threaded native
 * command is not slowed as a two-worker pool is, so CPU seconds are printed too (native: the
 * children's times as bash reports them).
 *
 * Options: BENCH_MINUTES (default 15; 60 for the hour), BENCH_ROUNDS (default 3),
 * BENCH_VARIANTS (default copy,reencode,native).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_ROOT, benchInputs } from './bench-inputs.ts';
import { inspectFiles } from '../../src/pipeline/process-files.ts';

const minutes = Number(process.env.BENCH_MINUTES ?? 15);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const variants = new Set((process.env.BENCH_VARIANTS ?? 'copy,reencode,native').split(','));
const { tracks, paths } = await benchInputs(minutes);
const trackHours = tracks.reduce((sum, t) => sum + (t.endSec - t.startSec), 0) / 3600;
const timeline = await inspectFiles(paths);
const rusagePreload = fileURLToPath(new URL('./report-rusage.mjs', import.meta.url));
const cli = join(process.cwd(), 'bin', 'reflector-tracks.mjs');

type Run = { wallSec: number; cpuSec: number | null; maxRssMb: number | null };

const timed = (command: string, args: string[]): Run => {
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const wallSec = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`${command} ${args.slice(0, 4).join(' ')} … failed: ${result.stderr.slice(-500)}`);
  const usage = /RUSAGE (\{.*\})/.exec(result.stderr ?? '');
  const parsed = usage ? (JSON.parse(usage[1]!) as { cpuSec: number; maxRssMb: number }) : null;
  return { wallSec, cpuSec: parsed?.cpuSec ?? null, maxRssMb: parsed?.maxRssMb ?? null };
};

const ours = async (extra: string[]): Promise<Run> => {
  const out = join(BENCH_ROOT, 'out-copy-bench');
  await rm(out, { recursive: true, force: true });
  const run = timed(process.execPath, ['--import', rusagePreload, cli, 'process', '--quiet', '--out', out, ...extra, ...paths]);
  await rm(out, { recursive: true, force: true });
  return run;
};

const nativeFfmpeg = process.env.PATH?.split(delimiter)
  .map((d) => join(d, 'ffmpeg'))
  .find((p) => existsSync(p));

/** A native command's wall and CPU time (bash's `times`: the children's user and system time). */
const nativeTimed = (ffmpeg: string, args: string[]): Run => {
  const started = performance.now();
  const result = spawnSync('bash', ['-c', '"$@"; status=$?; times >&2; exit $status', 'bash', ffmpeg, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const wallSec = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`native ffmpeg failed: ${result.stderr.slice(-500)}`);
  const children = result.stderr
    .trim()
    .split('\n')
    .at(-1)!
    .match(/(\d+)m([\d.]+)s/g)!;
  const cpuSec = children.reduce((sum, t) => {
    const [, m, s] = /(\d+)m([\d.]+)s/.exec(t)!;
    return sum + Number(m) * 60 + Number(s);
  }, 0);
  return { wallSec, cpuSec, maxRssMb: null };
};

/** The same outputs natively: each track gap-filled from meeting time 0 and encoded as the decode path does, then the mixdown of those renders. */
const native = async (ffmpeg: string): Promise<Run> => {
  let cpuSec = 0;
  const out = join(BENCH_ROOT, 'native-opus');
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const started = performance.now();
  const renders = paths.map((path, i) => {
    const track = timeline.tracks.find((t) => path.endsWith(t.file))!;
    const render = join(out, `t${i}.webm`);
    const opus = ['-c:a', 'libopus', '-b:a', '32k', '-application', 'voip', '-compression_level', '5', '-f', 'webm'];
    const filter = 'aresample=48000:async=1:min_hard_comp=0.001:first_pts=0';
    cpuSec += nativeTimed(ffmpeg, [
      '-v',
      'error',
      '-y',
      '-copyts',
      '-i',
      path,
      '-af',
      filter,
      '-ac',
      '1',
      '-t',
      (track.endMs / 1000).toFixed(3),
      ...opus,
      render,
    ]).cpuSec!;
    return render;
  });
  const mix = `amix=inputs=${renders.length}:normalize=0:duration=longest`;
  timed(ffmpeg, [
    '-v',
    'error',
    '-y',
    ...renders.flatMap((r) => ['-i', r]),
    '-filter_complex',
    mix,
    '-ac',
    '1',
    '-ar',
    '48000',
    '-c:a',
    'libmp3lame',
    '-b:a',
    '128k',
    join(out, 'mix.mp3'),
  ]);
  const wallSec = (performance.now() - started) / 1000;
  await rm(out, { recursive: true, force: true });
  return { wallSec, cpuSec, maxRssMb: null };
};

console.log(`opus copy bench: ${tracks.length} × ${minutes} min (${trackHours.toFixed(2)} h of track), ${rounds} interleaved rounds, from the shell`);
const fmt = (r: Run) =>
  `${r.wallSec.toFixed(1)} s wall` +
  (r.cpuSec === null
    ? ''
    : `, ${r.cpuSec.toFixed(1)} s CPU (${(r.cpuSec / trackHours).toFixed(1)} s per hour of track), peak RSS ${r.maxRssMb!.toFixed(0)} MB`);
const cpu = (r: Run) => r.cpuSec ?? Number.NaN;
for (let round = 1; round <= rounds; round++) {
  const copy = variants.has('copy') ? await ours([]) : null;
  const reencode = variants.has('reencode') ? await ours(['--reencode']) : null;
  const yardstick = nativeFfmpeg && variants.has('native') ? await native(nativeFfmpeg) : null;
  if (copy) console.log(`  round ${round}: process (copy, the default) ${fmt(copy)}`);
  if (reencode) console.log(`           process --reencode ${fmt(reencode)}`);
  if (copy && reencode)
    console.log(`           copy/re-encode: wall ${(copy.wallSec / reencode.wallSec).toFixed(2)}, CPU ${(cpu(copy) / cpu(reencode)).toFixed(2)}`);
  if (yardstick) {
    console.log(`           native ffmpeg, same outputs one after another: ${yardstick.wallSec.toFixed(1)} s wall, ${cpu(yardstick).toFixed(1)} s CPU`);
    for (const [name, r] of [
      ['copy', copy],
      ['re-encode', reencode],
    ] as const) {
      if (r) console.log(`           ${name}/native: wall ${(r.wallSec / yardstick.wallSec).toFixed(2)}, CPU ${(cpu(r) / cpu(yardstick)).toFixed(2)}`);
    }
  }
}
if (!nativeFfmpeg) console.log('  native ffmpeg: not on PATH, no yardstick run');
