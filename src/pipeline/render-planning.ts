/**
 * Per-track decisions the pipeline makes before it renders: the order renders go to the pool
 * (what a render's fill plan needs from the probe, the planned track carries: timeline/track-media.ts). Pure.
 */
import type { TimelineTrack } from '../timeline/types.ts';

/**
 * What a render costs, for ordering: the audio it decodes, i.e. the track's presence (its span
 * less its holes). Decoding is most of a render (a 10.5-minute Opus track: 0.61 s of 0.70 s in the
 * engine) and a hole has no packets, so a track muted for most of the hour is a short render
 * however long it spans.
 */
export const renderCost = (track: Pick<TimelineTrack, 'presenceMs'>): number => track.presenceMs;
