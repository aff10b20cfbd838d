/**
 * The pipeline, environment-free: probe every input, build the timeline, render every audio track
 * on the engine's pool in parallel (each render also yields the track's speech, src/speech/), then
 * mix the rendered tracks (never the sources again) into one MP3. Node (`process-files.ts`) and
 * the browser inspector supply inputs and output places.
 *
 * Batch semantics: a bad input fails alone and lands in `timeline.skipped` with its reason; the
 * run fails only when no track could be rendered, or the mixdown itself fails.
 */
import { TracksError } from '../errors.ts';
import { planTimeline } from '../timeline/build-timeline.ts';
import { publicTimeline } from '../timeline/track-media.ts';
import { mixdownRateHz } from '../mix/mixdown-args.ts';
import { renderCost } from './render-planning.ts';
import { trackFormatSpec, trackOutputNames } from '../mix/track-format.ts';
import { probeInputs } from './probe-inputs.ts';
import { mixSegment, mixTracks, planMixdown, trackSource } from './mix-tracks.ts';
import { startEarlyMixdown } from './early-mixdown.ts';
import { withSpeech } from '../timeline/speech-timeline.ts';
import { runBleedStep } from './bleed-step.ts';
import { renderTrack, type RenderedTrack } from './render-track.ts';
import type { PipelineInput, PipelineOptions, PipelineResult } from './types.ts';

/** The inspector (web-debugger/src/analyze.ts) takes the contract from here. */
export type { PipelineInput, PipelineProgress } from './types.ts';

export const runPipeline = async (inputs: readonly PipelineInput[], options: PipelineOptions): Promise<PipelineResult> => {
  const { engine, signal, onProgress } = options;
  const format = options.trackFormat ?? 'opus';
  const spec = trackFormatSpec(format);
  const duplicate = inputs.find((input, i) => inputs.findIndex((x) => x.file === input.file) !== i);
  if (duplicate) throw new TracksError('USAGE', `Two inputs are both named ${duplicate.file}; input names must be unique.`);

  const probes = await probeInputs(inputs, (done, total) => onProgress?.({ stage: 'probe', done, total }));
  const planned = planTimeline(probes, options);
  signal?.throwIfAborted();

  // Each track's output (timeline order): named once, for its render and for the early mixdown.
  const outputs = trackOutputNames(
    planned.tracks.map((t) => t.file),
    format,
  );
  const destinations = outputs.map((output) => options.trackOutput(output));
  const mixPlan = planMixdown(engine, planned.durationMs, options);
  // Renders written to disk (Node), whose growing files the early mixdown can read.
  const trackPaths = destinations.every((d) => d.path) ? destinations.map((d) => d.path!) : null;
  const earlySources = trackPaths?.map((path, i) => trackSource({ path }, i, spec.extension));
  const early =
    // The bleed gate needs the analysis of every track before any segment is mixed.
    format === 'wav' && !options.mixdown?.bleedGate && options.fileSize && mixPlan.length > 1 && trackPaths && earlySources
      ? startEarlyMixdown({
          slots: engine.concurrency,
          plan: mixPlan,
          trackPaths,
          renderRateHz: spec.sampleRateHz,
          mixRateHz: mixdownRateHz(options.mixdown),
          sizeOf: options.fileSize,
          mix: (segment) => mixSegment(engine, earlySources, segment, spec, options),
        })
      : null;

  let rendered = 0;
  // Longest first: the engine's queue is FIFO, so the last render to start is a short one and the
  // slots finish together instead of one idling while the other renders a long track.
  const launchOrder = planned.tracks.map((track, i) => ({ track, i })).sort((a, b) => renderCost(b.track) - renderCost(a.track));
  // Whatever ends the renders (an abort too) ends the early mixdown's scheduling.
  const launched = await Promise.all(
    launchOrder.map(async ({ track, i }) => {
      let renderedOk = false;
      try {
        return await renderTrack(
          {
            track,
            index: i,
            source: inputs.find((x) => x.file === track.file)!.source,
            output: outputs[i]!,
            destination: destinations[i]!,
            format,
            spec,
            onProgress: (timeSec) =>
              onProgress?.({ stage: 'render', file: track.file, ratio: timeSec / (track.endMs / 1000), done: rendered, total: planned.tracks.length }),
            onRendered: () => {
              renderedOk = true;
            },
          },
          options,
        );
      } finally {
        early?.renderEnded(i, renderedOk);
        onProgress?.({ stage: 'render', file: track.file, ratio: 1, done: ++rendered, total: planned.tracks.length });
      }
    }),
  ).finally(() => early?.stop());
  const renders = planned.tracks.map((track) => launched.find((r) => r.file === track.file)!);
  const earlySegments = early?.stop() ?? new Map();

  // A track that probed but would not render is skipped like an unreadable input; the timeline is
  // rebuilt so the meeting duration and overlaps only count what was delivered.
  const failed = new Map(renders.flatMap((r) => ('error' in r ? [[r.file, r.error] as const] : [])));
  const delivered = failed.size
    ? planTimeline(
        probes.map((p) => (failed.has(p.file) ? { file: p.file, daily: p.daily, error: failed.get(p.file)! } : p)),
        options,
      )
    : planned;
  const ok = renders.filter((r): r is RenderedTrack => 'result' in r);
  // Whose voice is it: every track's speech compared with the others' (bleed-step.ts).
  const speech = await runBleedStep(
    engine,
    ok.flatMap((r) => (r.speech ? [r.speech] : [])),
    signal,
  );
  const timeline = publicTimeline(withSpeech(delivered, speech.speechByFile, speech.bleed));
  for (const track of timeline.tracks) {
    const render = ok.find((r) => r.file === track.file);
    track.output = render?.output ?? null;
    track.peaks = render?.peaksName ?? null;
    track.render = render?.render ?? null;
    track.packetsDropped = render?.packetsDropped ?? null;
    // ffmpeg's "File ended prematurely" restates the prober's truncation or damage warning.
    const probed = track.warnings.some((w) => w.startsWith('file is truncated') || w.startsWith('damaged data'));
    track.warnings.push(...(render?.warnings ?? []).filter((w) => !(probed && w.includes('File ended prematurely'))));
  }
  if (ok.length === 0) {
    throw new TracksError(
      'PIPELINE_NO_TRACKS',
      `No track could be processed: ${timeline.skipped.map((s) => `${s.file}: ${s.reason}`).join('; ') || 'no inputs'}.`,
      {
        data: { timeline },
      },
    );
  }

  // Early segments mixed every planned track; with one missing they are mixed again (after they
  // end: a segment file has one writer).
  if (failed.size) await Promise.all(earlySegments.values());
  const mixdown = await mixTracks(
    engine,
    ok.map((r) => r.mixInput),
    failed.size ? planMixdown(engine, timeline.durationMs, options) : mixPlan,
    spec,
    options.mixdown?.bleedGate
      ? { ...options, mixdown: { ...options.mixdown, gatesMs: ok.map((r) => timeline.tracks.find((t) => t.file === r.file)?.bleed ?? []) } }
      : options,
    failed.size ? new Map() : earlySegments,
  );
  return { timeline, tracks: ok.map((r) => ({ file: r.file, output: r.result, peaks: r.peaks })), mixdown };
};
