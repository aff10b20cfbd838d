/**
 * The default Opus render when the source is Opus in WebM: its packets copied onto the meeting
 * timeline (src/mix/opus-copy/), then the copy decoded once to 8 kHz for the speech analyzer and,
 * where the caller gives a place for it, to the 48 kHz WAV the mixdown reads (one decode for both).
 * Anything the copy cannot take (another codec, laced blocks, a multistream OpusHead) goes the
 * decode path instead (run-pipeline.ts), and `render` in the timeline says which path ran.
 */
import type { Engine, EngineInput, EngineOutput, RunOutput } from '../engine/engine.ts';
import { logTail } from '../engine/log-tail.ts';
import { TracksError } from '../errors.ts';
import { copyOpusTrack, type CopyResult } from '../mix/opus-copy/copy-track.ts';
import { speechDecodeArgs } from '../mix/opus-copy/speech-decode-args.ts';
import type { TrackFormat } from '../mix/track-format.ts';
import { isWebmContainer } from '../probe/container-kind.ts';
import { containerShiftMs } from '../timeline/container-shift.ts';
import type { PlannedTrack, TimelineTrack } from '../timeline/types.ts';
import type { TrackAnalysis } from './bleed-step.ts';
import type { CopyIo } from './copy-io.ts';

/** Whether `track` is rendered by copying packets: Opus output wanted, not forced to re-encode, an Opus source in WebM. */
export const rendersByCopy = (track: Pick<PlannedTrack, 'codec' | 'media'>, format: TrackFormat, reencode: boolean): boolean =>
  format === 'opus' && !reencode && track.codec === 'opus' && isWebmContainer(track.media.container);

export type CopiedTrack = {
  output: RunOutput;
  copy: CopyResult;
  speech: TrackAnalysis | null;
  /** The render's waveform peaks file (src/mix/peaks.ts), from the same 8 kHz tap as the speech. */
  peaks: Uint8Array | null;
  /** The render decoded for the mixdown (48 kHz mono WAV), when `mixInput` was asked for. */
  mixInput: RunOutput | null;
  warnings: string[];
};

export type CopyRenderRequest = {
  engine: Engine;
  io: CopyIo;
  track: Pick<TimelineTrack, 'file' | 'offsetMs' | 'containerOffsetMs' | 'endMs'>;
  source: EngineInput;
  destination: EngineOutput;
  /** Where the decode also writes the mixdown's input (a path: Node); without it the mixdown decodes the render itself. */
  mixInput?: EngineOutput;
  index: number;
  signal?: AbortSignal;
};

/** The copied render, or null when the source is not one to copy (the caller decodes it instead). */
export const copyRender = async (request: CopyRenderRequest): Promise<CopiedTrack | null> => {
  const { engine, io, track, index, signal } = request;
  const source = await io.open(request.source);
  const target = await io.create(request.destination);
  let copy: Awaited<ReturnType<typeof copyOpusTrack>>;
  try {
    copy = await copyOpusTrack(source.reader, target, { shiftMs: containerShiftMs(track), endMs: track.endMs });
  } catch (error) {
    await target.discard();
    throw error;
  } finally {
    await source.close();
  }
  if ('reason' in copy) {
    await target.discard();
    return null;
  }
  const output = await target.done(copy.sizeBytes);
  signal?.throwIfAborted();
  const dropped = copy.packetsDropped.damaged + copy.packetsDropped.overlapping;
  const warnings = dropped
    ? [
        `${dropped} Opus packet(s) left out of the copied render: ${copy.packetsDropped.damaged} damaged, ` +
          `${copy.packetsDropped.overlapping} duplicate or overlapping the previous one`,
      ]
    : [];

  const inputName = `copy${index}.webm`;
  const speechName = `speech${index}.pcm`;
  const mixName = request.mixInput ? `mix${index}.wav` : undefined;
  const decoded = await engine.run({
    args: speechDecodeArgs(inputName, speechName, copy.endMs, mixName),
    inputs: [output.path ? { name: inputName, path: output.path } : { name: inputName, data: new Blob([output.bytes! as Uint8Array<ArrayBuffer>]) }],
    outputs: [{ name: speechName, analyze: 'speech' }, ...(request.mixInput && mixName ? [{ ...request.mixInput, name: mixName }] : [])],
    signal,
  });
  const analysed = decoded.outputs.find((o) => o.name === speechName);
  if (decoded.exitCode !== 0) {
    throw new TracksError('MEDIA_RENDER_FAILED', `${track.file}: its copied render does not decode (${logTail(decoded.log)}).`, {
      data: { file: track.file, log: decoded.log },
    });
  }
  const mixInput = (mixName && decoded.outputs.find((o) => o.name === mixName && o.sizeBytes > 0)) || null;
  return {
    output,
    copy,
    speech: analysed?.speechFrames ? { file: track.file, frames: analysed.speechFrames, levels: analysed.speechLevels } : null,
    peaks: analysed?.peaks ?? null,
    mixInput,
    warnings,
  };
};
