/**
 * One track's render on the engine's pool: its source's Opus packets copied (copy-render.ts) where
 * they can be, else decoded and encoded again (mix/render-args.ts, with the gap fill its planned
 * track's media facts give); either way the render's speech analysis and waveform peaks come with
 * it, and the peaks file goes beside the render when the caller stores outputs. A failure is the
 * track's alone: it comes back as the track's skipped entry, unless the run was aborted.
 */
import { TracksError } from '../errors.ts';
import type { EngineInput, EngineOutput, RunOutput } from '../engine/engine.ts';
import { logTail } from '../engine/log-tail.ts';
import { renderTrackArgs } from '../mix/render-args.ts';
import type { TrackFormat, TrackFormatSpec } from '../mix/track-format.ts';
import type { PlannedTrack } from '../timeline/types.ts';
import type { TrackAnalysis } from './bleed-step.ts';
import { memoryCopyIo } from './copy-io.ts';
import { copyRender, rendersByCopy } from './copy-render.ts';
import { errorEntry } from './probe-inputs.ts';
import type { MixInput, PipelineOptions } from './types.ts';

export type RenderedTrack = {
  file: string;
  /** The render's name in the outputs, `tracks/<file>.<ext>`. */
  output: string;
  result: RunOutput;
  peaks: Uint8Array | null;
  /** Where the peaks file was stored (peaksNameOf), or null. */
  peaksName: string | null;
  mixInput: MixInput;
  speech: TrackAnalysis | null;
  warnings: string[];
  render: 'copy' | 'decode';
  packetsDropped: number | null;
};
export type FailedTrack = { file: string; output: string; error: { code: string; message: string } };

export type TrackRenderRequest = {
  track: PlannedTrack;
  /** The track's place in the timeline: names its engine files and its mixdown input. */
  index: number;
  source: EngineInput;
  /** `output`, `destination`: the render's name in the outputs and where the engine writes it. */
  output: string;
  destination: EngineOutput;
  format: TrackFormat;
  spec: TrackFormatSpec;
  /** The engine's progress through the decode render, as seconds of the track written. */
  onProgress: (timeSec: number) => void;
  /** The render itself is written (its peaks file may still fail): the early mixdown may read it. */
  onRendered: () => void;
};

/** Where a render's peaks file goes: beside it, `tracks/<render name>.peaks.dat`. */
export const peaksNameOf = (output: string) => `${output}.peaks.dat`;

const engineName = (i: number, file: string) => `in${i}${/\.[A-Za-z0-9]{1,5}$/.exec(file)?.[0] ?? ''}`;

export const renderTrack = async (request: TrackRenderRequest, options: PipelineOptions): Promise<RenderedTrack | FailedTrack> => {
  const { engine, signal } = options;
  const { track, index: i, output, destination, format, spec } = request;
  const inputName = engineName(i, track.file);
  const outputName = `out${i}.${spec.extension}`;
  // A WAV render is analysed as it is written; other formats get an 8 kHz PCM copy for it.
  const speechName = format === 'wav' ? null : `speech${i}.pcm`;
  // Each render's peaks file goes beside it when the caller stores outputs (peaksNameOf).
  const storePeaks = async (peaks: Uint8Array | null) => {
    if (!peaks || !options.writePeaks) return null;
    await options.writePeaks(peaksNameOf(output), peaks);
    return peaksNameOf(output);
  };
  try {
    const copied = rendersByCopy(track, format, options.reencode ?? false)
      ? await copyRender({
          engine,
          io: options.copyIo ?? memoryCopyIo,
          track,
          source: request.source,
          destination,
          ...(options.mixInputOutput ? { mixInput: options.mixInputOutput(i) } : {}),
          index: i,
          signal,
        })
      : null;
    if (copied) {
      request.onRendered();
      const packetsDropped = copied.copy.packetsDropped.damaged + copied.copy.packetsDropped.overlapping;
      const mixInput = copied.mixInput ? { output: copied.mixInput, extension: 'wav' } : { output: copied.output, extension: spec.extension };
      return {
        file: track.file,
        output,
        result: copied.output,
        peaks: copied.peaks,
        peaksName: await storePeaks(copied.peaks),
        mixInput,
        speech: copied.speech,
        warnings: copied.warnings,
        render: 'copy',
        packetsDropped,
      };
    }
    const result = await engine.run({
      args: renderTrackArgs(track, format, { inputName, outputName, ...(speechName ? { speechName } : {}) }, track.media),
      inputs: [{ ...request.source, name: inputName }],
      outputs: speechName
        ? [
            { ...destination, name: outputName },
            { name: speechName, analyze: 'speech' },
          ]
        : [{ ...destination, name: outputName, analyze: 'speech-wav' }],
      signal,
      onProgress: (p) => request.onProgress(p.timeSec),
    });
    const out = result.outputs.find((o) => o.name === outputName);
    const analysed = result.outputs.find((o) => o.name === (speechName ?? outputName));
    if (result.exitCode !== 0 || !out || out.sizeBytes === 0) {
      throw new TracksError('MEDIA_RENDER_FAILED', `${track.file}: ffmpeg could not render it (${logTail(result.log)}).`, {
        data: { file: track.file, log: result.log },
      });
    }
    request.onRendered();
    const peaks = analysed?.peaks ?? null;
    return {
      file: track.file,
      output,
      result: out,
      peaks,
      peaksName: await storePeaks(peaks),
      mixInput: { output: out, extension: spec.extension },
      speech: analysed?.speechFrames ? { file: track.file, frames: analysed.speechFrames, levels: analysed.speechLevels } : null,
      warnings: ffmpegWarnings(result.log),
      render: 'decode',
      packetsDropped: null,
    };
  } catch (error) {
    if (signal?.aborted) throw error;
    return { file: track.file, output, error: errorEntry(error, track.file) };
  }
};

/**
 * The render runs at `-loglevel warning`, so what it logs is worth a look: a truncated source says
 * "File ended prematurely", a damaged one "Invalid data". Passed on as track warnings, deduplicated.
 */
const ffmpegWarnings = (log: readonly string[]): string[] =>
  [...new Set(log.map((l) => l.replace(/^\[[^\]]+ @ 0x[0-9a-f]+\] /, '').trim()).filter(Boolean))].slice(0, 5).map((l) => `ffmpeg: ${l}`);
