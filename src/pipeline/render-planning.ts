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

/**
 * What a render costs, for ordering: the audio it decodes, i.e. the track's presence (its span
 * less its holes). Decoding is most of a render (a 10.5-minute Opus track: 0.61 s of 0.70 s in the
 * engine) and a hole has no packets, so a track muted for most of the hour is a short render
 * however long it spans.
 */
export const renderCost = (track: Pick<TimelineTrack, 'presenceMs'>): number => track.presenceMs;
