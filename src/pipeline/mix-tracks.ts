/**
 * The pipeline's last stage: the rendered tracks mixed into one MP3, as time segments encoded in
 * parallel on the engine's pool and joined frame-exactly (mix/mixdown-segments.ts).
 */
import { TracksError } from '../errors.ts';
import type { Engine, EngineInput, RunOutput } from '../engine/engine.ts';
import { logTail } from '../engine/log-tail.ts';
import { mixdownRateHz, mixdownSegmentArgs } from '../mix/mixdown-args.ts';
import { planMixdownSegments, type MixdownSegment } from '../mix/mixdown-segments.ts';
import { MP3_SAMPLES_PER_FRAME } from '../mix/mp3-frames.ts';
import type { TrackFormatSpec } from '../mix/track-format.ts';
import type { MixInput, PipelineOptions, SegmentResult } from './types.ts';

/** Segments of at least this length are worth encoding in parallel. */
const PARALLEL_MIXDOWN_MIN_MS = 5 * 60_000;
/**
 * Segments per pool slot. Equal stretches of meeting time are not equal work (LAME encodes
 * silence faster than speech; a stretch where everyone talks costs most), so with one segment per
 * slot one slot idled for a third of the mixdown (npm run bench, 4 × 15 min: 2.9 s against 4.0 s).
 * Three per slot let the pool even that out for ~1% more work (each segment decodes 1 s of
 * pre-roll and encodes 2 warm-up frames, mix/mixdown-segments.ts).
 */
const MIXDOWN_SEGMENTS_PER_SLOT = 3;

type Render = Pick<TrackFormatSpec, 'extension' | 'sampleRateHz'>;

/**
 * The segments a meeting of `durationMs` is mixed in. The last part per pool slot is cut in
 * halves: the slots take the last segments as they come free, so the one that finishes first
 * idles for up to a segment's time while the other encodes its last; halves halve that. Measured
 * from the shell on 4 × 60 min: 15.36 → 14.87 s (median of 3 interleaved rounds); 4 × 15 min
 * unchanged (4.415 → 4.41 s over 8), where the extra segments' start-up eats what the tail gains.
 * A caller that sets `segments` gets exactly that many equal ones.
 */
export const planMixdown = (engine: Engine, durationMs: number, options: PipelineOptions): MixdownSegment[] => {
  const mixOptions = options.mixdown ?? {};
  const segments = mixOptions.loudnorm
    ? 1
    : (mixOptions.segments ?? (durationMs >= PARALLEL_MIXDOWN_MIN_MS ? engine.concurrency * MIXDOWN_SEGMENTS_PER_SLOT : 1));
  const halvedTail = mixOptions.segments === undefined && segments > 1 ? engine.concurrency : 0;
  return planMixdownSegments(durationMs, segments, mixdownRateHz(mixOptions), halvedTail);
};

/** Mixes one segment of `tracks` (in timeline order; from disk in Node, Blobs in the browser). */
export const mixSegment = async (
  engine: Engine,
  tracks: readonly EngineInput[],
  segment: MixdownSegment,
  render: Render,
  options: PipelineOptions,
  onProgress?: (timeSec: number) => void,
): Promise<SegmentResult> => {
  const inputs = tracks.map((s) => ({ ...s }));
  const outputName = `mixdown-${segment.index}.mp3`;
  const result = await engine.run({
    args: mixdownSegmentArgs(
      inputs.map((m) => m.name),
      segment,
      outputName,
      options.mixdown ?? {},
      render.sampleRateHz,
    ),
    inputs,
    outputs: [{ ...options.mixdownSegmentOutput(segment.index), name: outputName }],
    signal: options.signal,
    onProgress: (p) => onProgress?.(p.timeSec),
  });
  const output = result.outputs[0];
  if (result.exitCode !== 0 || !output) {
    throw new TracksError('MEDIA_MIX_FAILED', `The mixdown failed (${logTail(result.log)}).`, { data: { log: result.log } });
  }
  return { segment, output };
};

/**
 * The mixdown: time segments encoded in parallel on the pool, then joined frame-exactly
 * (mix/mixdown-segments.ts). Inputs are the rendered tracks (or their decoded WAVs), never the
 * sources again. `early`:
 * segments already started while the last renders ran (early-mixdown.ts); one that came to
 * nothing (null) is mixed again here.
 */
export const mixTracks = async (
  engine: Engine,
  rendered: readonly MixInput[],
  plan: readonly MixdownSegment[],
  render: Render,
  options: PipelineOptions,
  early: ReadonlyMap<number, Promise<SegmentResult | null>> = new Map(),
): Promise<RunOutput> => {
  const rateHz = mixdownRateHz(options.mixdown);
  const segmentSec = (segment: MixdownSegment) => (segment.frameCount * MP3_SAMPLES_PER_FRAME) / rateHz;
  const totalSec = plan.reduce((sum, s) => sum + segmentSec(s), 0);
  // Seconds encoded per segment: segments run in parallel, each counting its own time from 0, so
  // the mixdown's progress is their sum (a shared counter went backwards between segments).
  const encodedSec = new Map<number, number>();
  const report = () => options.onProgress?.({ stage: 'mixdown', ratio: Math.min(1, [...encodedSec.values()].reduce((a, b) => a + b, 0) / totalSec) });
  const sources = rendered.map((r, i) => trackSource(r.output, i, r.extension));
  const results = await Promise.all(
    plan.map(async (segment) => {
      const done =
        (await early.get(segment.index)) ??
        (await mixSegment(engine, sources, segment, render, options, (timeSec) => {
          encodedSec.set(segment.index, Math.max(encodedSec.get(segment.index) ?? 0, Math.min(timeSec, segmentSec(segment))));
          report();
        }));
      encodedSec.set(segment.index, segmentSec(segment));
      report();
      return done;
    }),
  );
  const joined = await options.joinMixdown(results.map(({ segment, output }) => ({ output, firstFrame: segment.firstFrame, frameCount: segment.frameCount })));
  options.onProgress?.({ stage: 'mixdown', ratio: 1 });
  return joined;
};

/**
 * Rendered output → mixdown input: from disk in Node; in the browser a Blob, which workers
 * mount (WORKERFS) and which crosses postMessage without a copy, so parallel segments share
 * one copy of every track instead of detaching it.
 */
export const trackSource = (output: Pick<RunOutput, 'path' | 'bytes'>, index: number, extension: string): EngineInput => {
  const name = `mix${index}.${extension}`;
  return output.path ? { name, path: output.path } : { name, data: new Blob([output.bytes! as Uint8Array<ArrayBuffer>]) };
};
