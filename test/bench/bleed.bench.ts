/**
 * `npm run bench:bleed`: the cross-track bleed analysis on meetings with bleed, and the peak RSS of
 * `process` with it.
 *
 * 1. CPU: the room-and-speakerphone meeting of test/speech/bleed-room.test.ts (60 s, 4 tracks:
 *    a pair in one room at −16 dB, a speakerphone echoing everyone at −20 dB, 150 → 200 ms),
 *    rendered by `processFiles`, its tracks' speech analysis repeated end to end to an hour
 *    (`tileFeatures`): 4 track-hours full of bleed, echo and double talk.
 * 2. Peak RSS of `processFiles` (opus, the default) for the `npm run bench` meeting (4 × 60 min)
 *    and for 10 participants × 60 min (its 4 tracks copied under 10 participant ids), each in a
 *    child process of its own, so the figure is its own; then, in that child (its peak taken), the
 *    analysis's CPU on the meeting's own renders: the `npm run bench` meeting's figure, which that
 *    bench prints too (process-meeting.bench.ts), and 10 tracks' 90 ordered pairs.
 *
 * 3. What the analysis's working arrays add to the peak RSS, 10 tracks × 60 min (bleed-memory.ts).
 *
 * Options: BENCH_MINUTES (60), BENCH_RSS=0 skips the peak RSS of process.
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createNodeEngine } from '../../src/engine/node-engine.ts';
import { processFiles } from '../../src/pipeline/process-files.ts';
import { ALICE, BOB, CAROL, DAN } from '../fixtures/meeting.ts';
import { writeBleedMeeting, type Coupling } from '../helpers/bleed-meeting.ts';
import type { SpeechTrackSpec } from '../helpers/speech-meeting.ts';
import { BENCH_ROOT, benchInputs } from './bench-inputs.ts';
import { measureBleed, tileFeatures, trackFeatures } from './bleed-cost.ts';

const minutes = Number(process.env.BENCH_MINUTES ?? 60);

if (process.env.BLEED_RSS_CHILD) {
  const paths = JSON.parse(process.env.BLEED_RSS_CHILD) as string[];
  const engine = await createNodeEngine();
  const out = await mkdtemp(join(tmpdir(), 'rt-bleed-rss-'));
  const t = performance.now();
  const { timeline } = await processFiles(paths, { engine, outDir: out });
  const figures = {
    wallSec: (performance.now() - t) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    bleedMs: timeline.tracks.reduce((s, x) => s + (x.bleedMs ?? 0), 0),
  };
  // Then (its memory no longer counted) the analysis's CPU on this meeting's own renders, as the
  // pipeline ran it; on stderr, which the parent passes through.
  const features = [];
  for (const track of timeline.tracks) features.push(await trackFeatures(engine, join(out, track.output!)));
  await engine.close();
  await rm(out, { recursive: true, force: true });
  measureBleed(`its ${timeline.tracks.length} renders`, features, console.error);
  console.log(JSON.stringify(figures));
  process.exit(0);
}

const u = (clip: string, atSec: number) => ({ clip, atSec });
const ROOM: Record<string, SpeechTrackSpec> = {
  alice: { participantId: ALICE, startSec: 0.3, endSec: 60, noiseDb: -60, utterances: [u('m1.ogg', 2), u('m3.ogg', 20), u('m2.ogg', 41)] },
  bob: { participantId: BOB, startSec: 0.5, endSec: 60, noiseDb: -58, utterances: [u('f1.ogg', 7), u('f2.ogg', 27), u('f3.ogg', 50)] },
  carol: { participantId: CAROL, startSec: 1, endSec: 60, noiseDb: -62, utterances: [u('f3.ogg', 12), u('f2.ogg', 21), u('f1.ogg', 35)] },
  dan: { participantId: DAN, startSec: 0.8, endSec: 60, noiseDb: -52, utterances: [u('m2.ogg', 15.5), u('m1.ogg', 28.2), u('m3.ogg', 45)] },
};
const echo = (from: string): Coupling => ({ from, to: 'dan', levelDb: -20, lagMs: 150, driftMsPerMin: 50 });
const COUPLINGS: Coupling[] = [
  { from: 'alice', to: 'bob', levelDb: -16, lagMs: 6 },
  { from: 'bob', to: 'alice', levelDb: -16, lagMs: 6 },
  echo('alice'),
  echo('bob'),
  echo('carol'),
];

console.log(`bleed bench: cross-track analysis CPU (one thread, in this process) and peak RSS of process`);
{
  const engine = await createNodeEngine({ workers: 2 });
  const dir = await mkdtemp(join(tmpdir(), 'rt-bleed-bench-'));
  try {
    const tracks = await writeBleedMeeting(engine, ROOM, COUPLINGS, dir);
    const { timeline } = await processFiles(
      Object.values(tracks).map((t) => t.path),
      { engine, outDir: join(dir, 'out'), trackFormat: 'wav' },
    );
    const features = await Promise.all(timeline.tracks.map((t) => trackFeatures(engine, join(dir, 'out', t.output!))));
    measureBleed('room + speakerphone, 4 × 1 min', features);
    measureBleed(
      `the same, repeated to 4 × ${minutes} min`,
      features.map((f) => tileFeatures(f, minutes)),
    );
    const ten = Array.from({ length: 10 }, (_, i) => tileFeatures(features[i % 4]!, minutes));
    // Tracks 5–10 are copies shifted by a few seconds, so they are 10 talkers, not 4 repeated.
    ten.forEach((f, i) => {
      if (i < 4) return;
      const shift = 300 * i;
      f.flags.copyWithin(0, shift);
      f.levels.copyWithin(0, shift * 3);
    });
    measureBleed(`10 tracks × ${minutes} min`, ten);
  } finally {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  }
}

{
  const out = execFileSync(process.execPath, ['--expose-gc', new URL('./bleed-memory.ts', import.meta.url).pathname], { encoding: 'utf8' });
  const m = JSON.parse(out.trim().split('\n').at(-1)!) as { cpuSec: number; pairs: number; peakBeforeMb: number; peakAfterMb: number };
  console.log(
    `  analysis memory, 10 synthetic tracks × 60 min: peak RSS ${m.peakBeforeMb} → ${m.peakAfterMb} MB (+${m.peakAfterMb - m.peakBeforeMb} MB), ${m.cpuSec.toFixed(2)} s CPU, ${m.pairs} paths`,
  );
}

if (process.env.BENCH_RSS !== '0') {
  const { paths } = await benchInputs(minutes);
  const tenDir = join(BENCH_ROOT, `inputs-${minutes}min-10-participants`);
  await mkdir(tenDir, { recursive: true });
  const ids = Array.from({ length: 10 }, (_, i) => `${String(i).repeat(8)}-aaaa-4aaa-8aaa-${String(i).repeat(12)}`);
  const tenPaths: string[] = [];
  for (let i = 0; i < 10; i++) {
    const source = paths[i % paths.length]!;
    // Daily names: <recording start>-<participant id>-<track name>-<track start>.webm
    const name = basename(source).replace(/^(\d+)-[0-9a-f-]{36}-/, `$1-${ids[i]}-`);
    const target = join(tenDir, name);
    await copyFile(source, target);
    tenPaths.push(target);
  }
  for (const [label, set] of [
    [`4 × ${minutes} min (npm run bench's meeting)`, paths],
    [`10 participants × ${minutes} min`, tenPaths],
  ] as const) {
    const out = execFileSync(process.execPath, [new URL(import.meta.url).pathname], {
      env: { ...process.env, BLEED_RSS_CHILD: JSON.stringify(set) },
      encoding: 'utf8',
    });
    const m = JSON.parse(out.trim().split('\n').at(-1)!) as { wallSec: number; peakRssMb: number; bleedMs: number };
    console.log(
      `  process (opus) ${label}: ${m.wallSec.toFixed(1)} s wall, peak RSS ${m.peakRssMb.toFixed(0)} MB (limit 512 MiB), ${(m.bleedMs / 1000).toFixed(0)} s of bleed found`,
    );
  }
}
