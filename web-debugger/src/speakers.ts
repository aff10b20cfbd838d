/**
 * Rows by speaker: every track named by the rule the API uses (src/recordings/speaker-names.ts:
 * the event JSON's name, else the platform's, else "Speaker N"), one colour per participant, and a
 * participant's files kept together (speakers in order of first appearance, files by offset).
 * A stored recording's timeline arrives with `tracks[].speaker` already decided by the server
 * (it knows the platform's participant records); dropped files have only the event JSON.
 */
import { speakerOfTimeline } from '../../src/recordings/speaker-names.ts';
import type { Timeline, TimelineTrack } from '../../src/timeline/types.ts';

/** A track as the inspector receives it: the served timeline adds the speaker's name. */
export type SpeakerTrack = TimelineTrack & { speaker?: string | null };

export type ArrangedTrack = { track: TimelineTrack; speaker: string; colorIndex: number };

const keyOf = (t: TimelineTrack) => t.participantId ?? t.file;

export const arrangeBySpeaker = (timeline: Timeline): ArrangedTrack[] => {
  const fallback = speakerOfTimeline(timeline);
  const first = new Map<string, number>();
  for (const t of timeline.tracks) first.set(keyOf(t), Math.min(first.get(keyOf(t)) ?? Infinity, t.offsetMs));
  const order = [...first.entries()].sort((a, b) => a[1] - b[1]).map(([key]) => key);
  return [...timeline.tracks]
    .sort((a, b) => order.indexOf(keyOf(a)) - order.indexOf(keyOf(b)) || a.offsetMs - b.offsetMs)
    .map((track) => ({ track, speaker: (track as SpeakerTrack).speaker || fallback(track), colorIndex: order.indexOf(keyOf(track)) }));
};
