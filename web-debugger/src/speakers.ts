/**
 * Rows by speaker: every track named by the rule the API uses (src/recordings/speaker-names.ts:
 * the event JSON's name, else the platform's, else "Speaker N"), one colour per participant, and a
 * participant's files kept together (otherwise in the timeline's order).
 * A stored recording's timeline arrives with `tracks[].speaker` already decided by the server
 * (it knows the platform's participant records); dropped files have only the event JSON.
 */
import { speakerOfTimeline } from '../../src/recordings/speaker-names.ts';
import type { Timeline, TimelineTrack } from '../../src/timeline/types.ts';

/** A track as the inspector receives it: the served timeline adds the speaker's name. */
export type SpeakerTrack = TimelineTrack & { speaker?: string | null };

export type ArrangedTrack = { track: TimelineTrack; speaker: string; colorIndex: number };

const keyOf = (t: TimelineTrack) => t.participantId ?? t.file;

/** The timeline's order, except that a participant's later files move up beside their first. */
export const arrangeBySpeaker = (timeline: Timeline): ArrangedTrack[] => {
  const fallback = speakerOfTimeline(timeline);
  const order = [...new Set(timeline.tracks.map(keyOf))];
  return timeline.tracks
    .map((track, i) => ({ track, i }))
    .sort((a, b) => order.indexOf(keyOf(a.track)) - order.indexOf(keyOf(b.track)) || a.i - b.i)
    .map(({ track }) => track)
    .map((track) => ({ track, speaker: (track as SpeakerTrack).speaker || fallback(track), colorIndex: order.indexOf(keyOf(track)) }));
};
