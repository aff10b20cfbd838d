/**
 * Per-track decisions the pipeline makes before it renders: the order renders go to the pool,
 * and what a render's fill plan needs from the track's probe. Pure.
 */
import type { RenderFill } from '../mix/render-args.ts';
import type { ProbedInput, TimelineTrack } from '../timeline/types.ts';
import { containerShiftMs } from '../timeline/container-shift.ts';

/**
 * What the render's fill plan needs (mix/fill-plan.ts): the track's holes between packets in
 * meeting time, and the rate ffmpeg decodes it at — 48 kHz for every Opus stream (RFC 7845 §5.1:
 * the OpusHead rate is only the original input's), else the stream's own.
 */
export const renderFillOf = (probes: readonly ProbedInput[], track: TimelineTrack): RenderFill | undefined => {
  const probed = probes.find((p) => p.file === track.file);
  const audio = probed && 'probe' in probed ? probed.probe.audio : null;
  if (!audio) return undefined;
  const shiftMs = containerShiftMs(track);
  return {
    packetGaps: audio.gaps.map((g) => ({ startMs: g.startMs + shiftMs, endMs: g.endMs + shiftMs })),
    decodedRateHz: audio.codec === 'opus' ? 48000 : audio.sampleRateHz,
  };
};

/** What a render costs, for ordering: its decoded length in meeting time. */
export const renderCost = (track: { offsetMs: number; endMs: number }) => track.endMs - Math.max(0, track.offsetMs);
