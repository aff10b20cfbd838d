/**
 * The default Opus render when the source is Opus in WebM: its packets copied onto the meeting
 * timeline (src/mix/opus-copy/), then the copy decoded once to 8 kHz for the speech analyzer.
 * Anything the copy cannot take (another codec, laced blocks, a multistream OpusHead) goes the
 * decode path instead (run-pipeline.ts), and `render` in the timeline says which path ran.
 */
import type { Engine, EngineInput, EngineOutput, RunOutput } from '../engine/engine.ts';
import { logTail } from '../engine/log-tail.ts';
import { TracksError } from '../errors.ts';
import { copyOpusTrack, type CopyResult } from '../mix/opus-copy/copy-track.ts';
import { speechDecodeArgs } from '../mix/opus-copy/speech-decode-args.ts';
import type { TrackFormat } from '../mix/track-format.ts';
import { containerShiftMs } from '../timeline/container-shift.ts';
import type { ProbedInput, TimelineTrack } from '../timeline/types.ts';
import type { TrackAnalysis } from './bleed-step.ts';
import type { CopyIo } from './copy-io.ts';

/** Whether `track` is rendered by copying packets: Opus output wanted, not forced to re-encode, an Opus source in WebM. */
export const rendersByCopy = (probes: readonly ProbedInput[], track: Pick<TimelineTrack, 'file'>, format: TrackFormat, reencode: boolean): boolean => {
  const probed = probes.find((p) => p.file === track.file);
  if (format !== 'opus' || reencode || !probed || !('probe' in probed)) return false;
  return probed.probe.audio?.codec === 'opus' && /webm|matroska/i.test(probed.probe.container);
};

export type CopiedTrack = { output: RunOutput; copy: CopyResult; speech: TrackAnalysis | null; warnings: string[] };

export type CopyRenderRequest = {
  engine: Engine;
  io: CopyIo;
  track: Pick<TimelineTrack, 'file' | 'offsetMs' | 'containerOffsetMs' | 'endMs'>;
  source: EngineInput;
  destination: EngineOutput;
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
  const decoded = await engine.run({
    args: speechDecodeArgs(inputName, speechName, copy.endMs),
    inputs: [output.path ? { name: inputName, path: output.path } : { name: inputName, data: new Blob([output.bytes! as Uint8Array<ArrayBuffer>]) }],
    outputs: [{ name: speechName, analyze: 'speech' }],
    signal,
  });
  const analysed = decoded.outputs.find((o) => o.name === speechName);
  if (decoded.exitCode !== 0) {
    throw new TracksError('MEDIA_RENDER_FAILED', `${track.file}: its copied render does not decode (${logTail(decoded.log)}).`, {
      data: { file: track.file, log: decoded.log },
    });
  }
  return {
    output,
    copy,
    speech: analysed?.speechFrames ? { file: track.file, frames: analysed.speechFrames, levels: analysed.speechLevels } : null,
    warnings,
  };
};
