/**
 * A planned track's media facts (types.ts `TrackMedia`): what its render needs from its probe,
 * taken once when the timeline is planned so that no later step looks the probe up again by file
 * name, and left out of the timeline as written and served. Pure.
 */
import type { ProbeResult } from '../probe/probe-media.ts';
import { containerShiftMs } from './container-shift.ts';
import type { PlannedTimeline, Timeline, TimelineTrack, TrackMedia } from './types.ts';

/** A timeline as `timeline.json` holds it: each track's media facts (planned tracks', types.ts `TrackMedia`) left out, every other field as it was. */
export const publicTimeline = (timeline: Timeline | PlannedTimeline): Timeline => ({
  ...timeline,
  tracks: timeline.tracks.map((track) => {
    if (!('media' in track)) return track;
    const { media: _internal, ...published } = track;
    return published;
  }),
});

/** What a track's render needs from its probe, on the meeting clock of the placed `track` (the same shift as the render's `-itsoffset`). */
export const trackMedia = (probe: ProbeResult, track: Pick<TimelineTrack, 'offsetMs' | 'containerOffsetMs'>): TrackMedia => {
  const audio = probe.audio!;
  const shiftMs = containerShiftMs(track);
  return {
    container: probe.container,
    packetGaps: audio.gaps.map((g) => ({ startMs: g.startMs + shiftMs, endMs: g.endMs + shiftMs })),
    decodedRateHz: audio.codec === 'opus' ? 48000 : audio.sampleRateHz,
  };
};
