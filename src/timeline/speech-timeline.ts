/**
 * Speech on the timeline, pure: each track's analysed speech (src/speech/) clipped to where the
 * track has audio — never inside a mute or a stretch without packets, whatever the analyzer's
 * padding did — its sum as `talkMs`, and the crosstalk between participants.
 */
import { regionsMs, type SpeechRegion } from '../speech/speech-regions.ts';
import { findOverlaps, openIntervals } from './overlaps.ts';
import type { Crosstalk, Timeline, TimelineTrack } from './types.ts';

const round = (ms: number) => Math.round(ms);

/** `regions` ∩ the intervals where the track sounds ('lost' packets are bridged: speech goes on through them). */
const clipToAudio = (track: TimelineTrack, regions: readonly SpeechRegion[]): SpeechRegion[] => {
  const audible = openIntervals(
    track.offsetMs,
    track.endMs,
    track.gaps.filter((g) => g.kind !== 'lost'),
  );
  const out: SpeechRegion[] = [];
  for (const r of regions) {
    for (const a of audible) {
      const startMs = Math.max(r.startMs, a.startMs);
      const endMs = Math.min(r.endMs, a.endMs);
      if (endMs > startMs) out.push({ startMs: round(startMs), endMs: round(endMs) });
    }
  }
  return out;
};

/** Speaker identity for crosstalk: the participant, else the file (a track with no participant id). */
const speakerOf = (track: TimelineTrack) => track.participantId ?? track.file;

export const findCrosstalk = (tracks: readonly TimelineTrack[]): Crosstalk[] =>
  findOverlaps(tracks.flatMap((t) => (t.speech ? [{ file: speakerOf(t), intervals: t.speech }] : []))).map((o) => ({
    startMs: o.startMs,
    endMs: o.endMs,
    participantIds: o.files,
  }));

/** A copy of `timeline` with speech for every track in `speechByFile` (others stay null). */
export const withSpeech = (timeline: Timeline, speechByFile: ReadonlyMap<string, readonly SpeechRegion[]>): Timeline => {
  const tracks = timeline.tracks.map((t) => {
    const regions = speechByFile.get(t.file);
    if (!regions) return t;
    const speech = clipToAudio(t, regions);
    return { ...t, speech, talkMs: regionsMs(speech) };
  });
  const crosstalk = findCrosstalk(tracks);
  return { ...timeline, tracks, crosstalk, crosstalkMs: round(regionsMs(crosstalk)) };
};
