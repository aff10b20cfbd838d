/**
 * Container clock → meeting clock for one track: how far the track's placement moved it from
 * where its own container's timestamps put it. Zero unless the track was placed by another clock
 * (place-track.ts: the event JSON or the Daily file name); the timeline's ends and gaps, the
 * render's `-itsoffset` and the render's fill plan all shift by it.
 */
import type { TimelineTrack } from './types.ts';

export const containerShiftMs = (track: Pick<TimelineTrack, 'offsetMs' | 'containerOffsetMs'>): number => track.offsetMs - (track.containerOffsetMs ?? 0);
