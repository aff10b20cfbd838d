/**
 * The pipeline's cross-track step, after every render: each track's speech analysis (frames and
 * levels, made by its render) compared with the others' (src/speech/bleed.ts) on the engine's pool,
 * so that `speech` is the owner's alone and bleed is named. A track without levels (or a meeting of
 * one track) keeps the speech its own frames give.
 */
import type { Engine } from '../engine/engine.ts';
import { TracksError } from '../errors.ts';
import type { BleedResult } from '../speech/bleed.ts';
import { BLEED_INPUT_NAME, BLEED_OUTPUT_NAME, packBleedInput, parseBleedOutput } from '../speech/bleed-codec.ts';
import { speechRegions, type SpeechRegion } from '../speech/speech-regions.ts';
import type { BleedAnalysisOf, BleedOf } from '../timeline/speech-timeline.ts';

export type TrackAnalysis = { file: string; frames: Uint8Array; levels?: Uint8Array };

export type BleedStepResult = {
  speechByFile: Map<string, SpeechRegion[]>;
  bleed: BleedAnalysisOf;
  cost: { pairsExamined: number; windowsExamined: number; cpuMs: number };
};

export const runBleedStep = async (engine: Engine, analyses: readonly TrackAnalysis[], signal?: AbortSignal): Promise<BleedStepResult> => {
  const speechByFile = new Map(analyses.map((a) => [a.file, speechRegions(a.frames)]));
  const compared = analyses.filter((a): a is Required<TrackAnalysis> => a.levels !== undefined);
  const byFile = new Map<string, BleedOf[]>();
  if (compared.length < 2) return { speechByFile, bleed: { byFile, pairs: [] }, cost: { pairsExamined: 0, windowsExamined: 0, cpuMs: 0 } };
  const run = await engine.run({
    tool: 'bleed',
    args: [],
    inputs: [{ name: BLEED_INPUT_NAME, data: packBleedInput(compared.map((a) => ({ flags: a.frames, levels: a.levels }))) }],
    outputs: [{ name: BLEED_OUTPUT_NAME }],
    signal,
  });
  const bytes = run.outputs[0]?.bytes;
  if (run.exitCode !== 0 || !bytes) throw new TracksError('ENGINE_COMMAND_FAILED', 'The bleed analysis returned nothing.');
  const result: BleedResult = parseBleedOutput(bytes);
  const fileOf = (index: number) => compared[index]!.file;
  result.tracks.forEach((t, i) => {
    speechByFile.set(fileOf(i), t.speech);
    byFile.set(
      fileOf(i),
      t.bleed.map(({ from, ...b }) => ({ ...b, fromFile: fileOf(from) })),
    );
  });
  const pairs = result.pairs.map(({ from, to, ...p }) => ({ fromFile: fileOf(from), toFile: fileOf(to), ...p }));
  return {
    speechByFile,
    bleed: { byFile, pairs },
    cost: { pairsExamined: result.pairsExamined, windowsExamined: result.windowsExamined, cpuMs: run.durationMs },
  };
};
