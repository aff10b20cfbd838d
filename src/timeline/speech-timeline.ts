/**
 * Speech on the timeline, pure: each track's analysed speech (src/speech/) clipped to where the
 * track has audio — never inside a mute or a stretch without packets, whatever the analyzer's
 * padding did — its sum as `talkMs`, and the crosstalk between participants. With the cross-track
 * analysis (src/speech/bleed.ts), `speech` is the owner's alone and the bleed-only stretches are
 * `bleed`, each naming whose voice it is; `bleedPairs` sums them per direction.
 */
import { regionsMs, type SpeechRegion } from '../speech/speech-regions.ts';
import { findOverlaps, openIntervals } from './overlaps.ts';
import type { BleedLagWarning, BleedPair, Crosstalk, Timeline, TimelineTrack, TrackBleed } from './types.ts';

const round = (ms: number) => Math.round(ms);

/** Two mics that hear each other sit in one room: their lag is the placement difference plus a few ms of air. */
export const BLEED_LAG_WARNING_MS = 40;
/** Sound's time of flight between two mics in one room: 15 ms is 5 m. */
const ROOM_AIR_MAX_MS = 25;

/** `regions` ∩ the intervals where the track sounds ('lost' packets are bridged: speech goes on through them). */
const clipToAudio = <R extends SpeechRegion>(track: TimelineTrack, regions: readonly R[]): R[] => {
  const audible = openIntervals(
    track.offsetMs,
    track.endMs,
    track.gaps.filter((g) => g.kind !== 'lost'),
  );
  const out: R[] = [];
  for (const r of regions) {
    for (const a of audible) {
      const startMs = Math.max(r.startMs, a.startMs);
      const endMs = Math.min(r.endMs, a.endMs);
      if (endMs > startMs) out.push({ ...r, startMs: round(startMs), endMs: round(endMs) });
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

/** A bleed-only stretch as the analysis names it: the source by file. */
export type BleedOf = SpeechRegion & { fromFile: string; lagMs: number; levelDb: number };
/** A direction of bleed as the analysis names it. */
export type BleedPairOf = Omit<BleedPair, 'fromParticipantId' | 'toParticipantId'>;
export type BleedAnalysisOf = { byFile: ReadonlyMap<string, readonly BleedOf[]>; pairs: readonly BleedPairOf[] };

/**
 * A copy of `timeline` with speech for every track in `speechByFile` (others stay null) and, for
 * those, the bleed `bleed` found (none without it).
 */
export const withSpeech = (
  timeline: Timeline,
  speechByFile: ReadonlyMap<string, readonly SpeechRegion[]>,
  bleed: BleedAnalysisOf = { byFile: new Map(), pairs: [] },
): Timeline => {
  const participantOf = (file: string) => timeline.tracks.find((t) => t.file === file)?.participantId ?? null;
  const tracks = timeline.tracks.map((t) => {
    const regions = speechByFile.get(t.file);
    if (!regions) return t;
    const speech = clipToAudio(t, regions);
    const stretches: TrackBleed[] = clipToAudio(t, bleed.byFile.get(t.file) ?? []).map((b) => ({
      startMs: b.startMs,
      endMs: b.endMs,
      fromParticipantId: participantOf(b.fromFile),
      fromFile: b.fromFile,
      lagMs: b.lagMs,
      levelDb: b.levelDb,
    }));
    return { ...t, speech, talkMs: regionsMs(speech), bleed: stretches, bleedMs: regionsMs(stretches) };
  });
  const crosstalk = findCrosstalk(tracks);
  const bleedPairs: BleedPair[] = bleed.pairs.map((p) => ({ fromParticipantId: participantOf(p.fromFile), toParticipantId: participantOf(p.toFile), ...p }));
  return {
    ...timeline,
    tracks,
    crosstalk,
    crosstalkMs: round(regionsMs(crosstalk)),
    bleedPairs,
    warnings: [...timeline.warnings, ...bleedLagWarnings(bleedPairs)],
  };
};

/**
 * `BLEED_LAG`: two tracks that bleed into each other both ways, further apart than air explains.
 * Air delays both directions alike, a placement error moves one track against the other: half the
 * difference of the two directions' lags is the placement difference, the air cancelling out, and
 * half their sum is the air — a few ms in a room; a headset and a speakerphone that hear each
 * other over the network have hundreds (their round trip), and are not one room.
 */
const bleedLagWarnings = (pairs: readonly BleedPair[]): BleedLagWarning[] =>
  pairs.flatMap((p) => {
    const back = pairs.find((q) => q.fromFile === p.toFile && q.toFile === p.fromFile);
    if (!back) return [];
    // Positive in one direction only: from the track placed early to the one placed late.
    const placementMs = Math.round((p.lagMs - back.lagMs) / 2);
    if (placementMs <= BLEED_LAG_WARNING_MS || Math.abs(back.lagMs + p.lagMs) / 2 > ROOM_AIR_MAX_MS) return [];
    return [
      {
        code: 'BLEED_LAG',
        message:
          `${p.fromFile} and ${p.toFile} hear each other (mics in one room) with lags of ${p.lagMs} and ${back.lagMs} ms: ` +
          `${p.toFile} sits ${placementMs} ms late against ${p.fromFile} on the timeline (more than ${BLEED_LAG_WARNING_MS} ms)`,
        fromParticipantId: p.fromParticipantId,
        toParticipantId: p.toParticipantId,
        fromFile: p.fromFile,
        toFile: p.toFile,
        lagMs: p.lagMs,
        backLagMs: back.lagMs,
        placementMs,
      },
    ];
  });
