/**
 * What the cross-track analysis adds to the peak RSS, run by `npm run bench:bleed` in a process of
 * its own (`node --expose-gc test/bench/bleed-memory.ts`): `analyseBleed` on TRACKS (10) tracks × 60
 * min of synthetic features — each track talks in seeded bursts of its own, tracks 0 and 1 hear
 * each other at −16 dB 10 ms late (one room), the last hears everyone at −20 dB 150 ms late (a
 * speakerphone) — so the analysis finds paths and classifies frames as on a real meeting. Prints
 * the peak RSS before and after it, and its CPU.
 */
import { analyseBleed, type BleedTrackInput } from '../../src/speech/bleed.ts';
import { CANDIDATE, VOICED } from '../../src/speech/speech-analyzer.ts';
import { encodeLevelDb, LEVEL_BANDS } from '../../src/speech/speech-levels.ts';

const tracks = Number(process.env.TRACKS ?? 10);
const frames = 360_000;
let seed = 7;
const rand = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const own: Float32Array[] = [];
for (let i = 0; i < tracks; i++) {
  const db = new Float32Array(frames).fill(-70);
  for (let t = 0; t < frames; ) {
    const gap = 200 + Math.floor(rand() * 3000);
    const len = 100 + Math.floor(rand() * 400);
    t += gap;
    for (let k = t; k < Math.min(frames, t + len); k++) db[k] = -20 - 15 * rand();
    t += len;
  }
  own.push(db);
}
const heard = own.map((db) => db.slice());
const add = (from: number, to: number, levelDb: number, lag: number) => {
  for (let t = lag; t < frames; t++) {
    const b = own[from]![t - lag]! + levelDb;
    const a = heard[to]![t]!;
    heard[to]![t] = 10 * Math.log10(10 ** (a / 10) + 10 ** (b / 10));
  }
};
add(0, 1, -16, 1);
add(1, 0, -16, 1);
for (let i = 0; i < tracks - 1; i++) add(i, tracks - 1, -20, 15);
const inputs: BleedTrackInput[] = heard.map((db) => {
  const flags = new Uint8Array(frames);
  const levels = new Uint8Array(frames * LEVEL_BANDS);
  for (let t = 0; t < frames; t++) {
    if (db[t]! > -55) flags[t] = CANDIDATE | VOICED;
    for (let b = 0; b < LEVEL_BANDS; b++) levels[t * LEVEL_BANDS + b] = encodeLevelDb(db[t]! - b * 3);
  }
  return { flags, levels };
});
own.length = 0;
heard.length = 0;
globalThis.gc?.();
const rssBefore = process.memoryUsage().rss / 2 ** 20;
const peakBefore = process.resourceUsage().maxRSS / 1024;
const cpu = process.cpuUsage();
const result = analyseBleed(inputs);
const used = process.cpuUsage(cpu);
console.log(
  JSON.stringify({
    tracks,
    cpuSec: (used.user + used.system) / 1e6,
    perTrackHour: (used.user + used.system) / 1e6 / tracks,
    pairs: result.pairs.length,
    pairsExamined: result.pairsExamined,
    rssBeforeMb: Math.round(rssBefore),
    peakBeforeMb: Math.round(peakBefore),
    peakAfterMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
