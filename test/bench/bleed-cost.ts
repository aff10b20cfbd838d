/**
 * The cross-track bleed analysis's cost, for the benches: a rendered track's speech analysis
 * (frames and levels, as the render's tap makes them) from its decoded 8 kHz PCM, and the CPU time
 * of `analyseBleed` over a meeting's tracks, per track-hour and per pair examined.
 */
import type { Engine } from '../../src/engine/engine.ts';
import { analyseBleed, type BleedTrackInput } from '../../src/speech/bleed.ts';
import { loadFvad } from '../../src/speech/fvad.ts';
import { createSpeechAnalyzer } from '../../src/speech/speech-analyzer.ts';

export const trackFeatures = async (engine: Engine, path: string): Promise<BleedTrackInput> => {
  const pcm = await engine.run({
    args: ['-loglevel', 'error', '-i', 'in', '-ac', '1', '-ar', '8000', '-c:a', 'pcm_s16le', '-f', 's16le', 'speech.pcm'],
    inputs: [{ name: 'in', path }],
    outputs: [{ name: 'speech.pcm' }],
  });
  const bytes = pcm.outputs[0]!.bytes!;
  const analyzer = createSpeechAnalyzer(await loadFvad());
  for (let at = 0; at < bytes.length; at += 1 << 16) analyzer.push(bytes.subarray(at, at + (1 << 16)));
  return { flags: analyzer.finish(), levels: analyzer.levels() };
};

/** `times` copies of each track's features end to end: a long meeting with the same bleed all along. */
export const tileFeatures = (track: BleedTrackInput, times: number): BleedTrackInput => {
  const flags = new Uint8Array(track.flags.length * times);
  const levels = new Uint8Array(track.levels.length * times);
  for (let i = 0; i < times; i++) {
    flags.set(track.flags, i * track.flags.length);
    levels.set(track.levels, i * track.levels.length);
  }
  return { flags, levels };
};

export const measureBleed = (label: string, tracks: readonly BleedTrackInput[], print: (line: string) => void = console.log) => {
  const before = process.cpuUsage();
  const result = analyseBleed(tracks);
  const used = process.cpuUsage(before);
  const cpuSec = (used.user + used.system) / 1e6;
  const trackHours = tracks.reduce((sum, t) => sum + t.flags.length, 0) / 360_000;
  const bleedMs = result.tracks.reduce((sum, t) => sum + t.bleed.reduce((s, b) => s + b.endMs - b.startMs, 0), 0);
  print(
    `  bleed analysis (${label}): ${cpuSec.toFixed(2)} s CPU for ${trackHours.toFixed(2)} track-hours → ${(cpuSec / trackHours).toFixed(2)} s per track-hour ` +
      `(budget 1.5); ${result.pairsExamined} ordered pairs, ${result.windowsExamined} windows of 10 s examined → ` +
      `${((cpuSec * 1000) / Math.max(1, result.pairsExamined)).toFixed(0)} ms per pair; ${result.pairs.length} bleed paths, ${(bleedMs / 1000).toFixed(0)} s of bleed found`,
  );
  return { cpuSec, trackHours, result };
};
