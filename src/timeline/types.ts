/**
 * The meeting timeline: plain data, JSON as written to `timeline.json`, shared by the CLI, the
 * server and the inspector. All times are meeting time, milliseconds from the recording start,
 * unless a name says `container` (the track's own clock).
 */
import type { Gap } from '../probe/packet-timeline.ts';
import type { ProbeResult } from '../probe/probe-media.ts';
import type { ChatMessage } from './daily-events.ts';
import type { DailyTrackName } from './daily-track-name.ts';
import type { SpeechRegion } from '../speech/speech-regions.ts';

export type { Gap };

/**
 * Which clock placed the track: the container's start_time (WebM: Daily's raw-tracks clock), the
 * event JSON's `mediaStartTime` (gapless WAV/AAC tracks, whose timestamps start at ~0), the Daily
 * file name, or nothing.
 */
export type OffsetSource = 'container' | 'events' | 'filename' | 'none';

/**
 * A stretch without audio from the participant: `muted` (the event JSON says paused), `lost`
 * (packets missing with no pause: loss, DTX beyond the threshold), `no-packets` (no event JSON to
 * tell which).
 */
export type TimelineGap = Gap & { kind: 'muted' | 'lost' | 'no-packets' };

export type TimelineTrack = {
  /** Input basename. */
  file: string;
  participantId: string | null;
  /** Daily track name (`cam-audio`, `screen-audio`, …) or null. */
  trackName: string | null;
  codec: string;
  /** Where the track's first audible sample sits in meeting time. */
  offsetMs: number;
  offsetSource: OffsetSource;
  /** The container's first packet timestamp (track time), null when unreadable. */
  containerOffsetMs: number | null;
  /** `trackStartMs - recordingStartMs` from a Daily file name, else null. */
  filenameOffsetMs: number | null;
  /** `containerOffsetMs - filenameOffsetMs` (about -209 ms on every Daily track). */
  offsetDeltaMs: number | null;
  /** `mediaStartTime − recording start` from the event JSON, when it lists this track. */
  eventOffsetMs: number | null;
  /** `containerOffsetMs - eventOffsetMs` for a WebM track the event JSON lists (placed by its container). */
  eventDeltaMs: number | null;
  /** The participant's name from the event JSON's `track-added`. */
  displayName: string | null;
  /** The track's end in meeting time (end of its last packet). */
  endMs: number;
  /** The track's length: `endMs - offsetMs`. */
  durationMs: number;
  /** Stretches without audio longer than the threshold, in meeting time, with what they are. */
  gaps: TimelineGap[];
  /** Time with the mic open (presence, not speech): from offset to end, less the gaps. */
  presenceMs: number;
  /**
   * Where the participant speaks, meeting time (src/speech/): null until the track is decoded
   * (`inspect` only probes).
   */
  speech: SpeechRegion[] | null;
  /** Sum of `speech`; null when not analysed. */
  talkMs: number | null;
  /**
   * Where the mic carries only other participants' voices (a neighbour in the room, a speakerphone's
   * echo), meeting time, removed from `speech` (src/speech/bleed.ts); null when not analysed.
   */
  bleed: TrackBleed[] | null;
  /** Sum of `bleed`; null when not analysed. */
  bleedMs: number | null;
  /** Rendered file, relative to the output directory; null until rendered (or if rendering failed). */
  output: string | null;
  /**
   * The render's waveform peaks (`tracks/<render name>.peaks.dat`, BBC audiowaveform binary format,
   * src/mix/peaks.ts), relative to the output directory; null until rendered (`inspect`).
   */
  peaks: string | null;
  /**
   * How `output` was made: `copy` carries the source's Opus packets unchanged (src/mix/opus-copy/),
   * `decode` decodes the source and encodes it again (src/mix/render-args.ts); null until rendered.
   */
  render: 'copy' | 'decode' | null;
  /** Source packets a copied render had to leave out (damaged, duplicate, overlapping); null unless copied. */
  packetsDropped: number | null;
  warnings: string[];
};

/**
 * What a track's render needs from its probe, carried by the planned track (build-timeline.ts:
 * `planTimeline`) so that no later step looks the probe up again by file name. Internal: never
 * written to `timeline.json` (track-media.ts: `publicTimeline` leaves it out).
 */
export type TrackMedia = {
  /** The probed container (`WebM`, `MP4`, …): an Opus source in WebM can be copied (copy-render.ts). */
  container: string;
  /** The holes between packets in meeting time (the container's, shifted by containerShiftMs), unclipped: the render's fill plan (mix/fill-plan.ts). */
  packetGaps: Gap[];
  /** The rate ffmpeg decodes the track at: 48 kHz for every Opus stream (RFC 7845 §5.1: the OpusHead rate is only the original input's), else the stream's own. */
  decodedRateHz: number;
};

/** A timeline track as the pipeline plans its render: with its media facts. */
export type PlannedTrack = TimelineTrack & { media: TrackMedia };
export type PlannedTimeline = Omit<Timeline, 'tracks'> & { tracks: PlannedTrack[] };

/**
 * A bleed-only stretch of a track: whose voice (`fromFile`, its participant or null), how late
 * against its source track (`lagMs`) and how loud against it (`levelDb`, negative).
 */
export type TrackBleed = { startMs: number; endMs: number; fromParticipantId: string | null; fromFile: string; lagMs: number; levelDb: number };

/** One direction of bleed between two tracks: the lag's median, least and greatest over the meeting, and the bleed it left. */
export type BleedPair = {
  fromParticipantId: string | null;
  toParticipantId: string | null;
  fromFile: string;
  toFile: string;
  lagMs: number;
  minLagMs: number;
  maxLagMs: number;
  bleedMs: number;
};

export type SkippedInput = { file: string; code: string; reason: string };

export type Overlap = { startMs: number; endMs: number; files: string[] };

/** Two or more participants speaking at once (one participant's files count once). */
export type Crosstalk = { startMs: number; endMs: number; participantIds: string[] };

export type Timeline = {
  /** Meeting duration: the latest track end. */
  durationMs: number;
  /** Daily recording start (epoch ms) when the file names carry it. */
  recordingStartMs: number | null;
  gapThresholdMs: number;
  tracks: TimelineTrack[];
  skipped: SkippedInput[];
  /** Stretches where two or more mics are open at once (presence, not speech). */
  presenceOverlaps: Overlap[];
  presenceOverlapMs: number;
  /** Stretches where two or more participants speak at once; null until tracks are decoded. */
  crosstalk: Crosstalk[] | null;
  crosstalkMs: number | null;
  /** Every pair of tracks where one carries the other's voice; null until tracks are decoded. */
  bleedPairs: BleedPair[] | null;
  /** Chat messages from the event JSON, meeting time. */
  chat: ChatMessage[];
  /** The event JSON the timeline used, if any. */
  eventsFile: string | null;
  /** The meeting's warnings: sentences, or objects with a `code` (warnings.ts `warningText` reads both). */
  warnings: TimelineWarning[];
};

/**
 * `BLEED_LAG`: two tracks that bleed into each other both ways (mics in one room) further apart
 * than air explains — the audio says the timeline placed them wrong (speech-timeline.ts). Named as
 * its `bleedPairs` entry from the track placed early to the one placed late: `lagMs` is that
 * direction's lag, `backLagMs` the other's, `placementMs` half their difference (the air cancels).
 */
export type BleedLagWarning = {
  code: 'BLEED_LAG';
  message: string;
  fromParticipantId: string | null;
  toParticipantId: string | null;
  fromFile: string;
  toFile: string;
  lagMs: number;
  backLagMs: number;
  placementMs: number;
};

/**
 * A meeting-level warning: a sentence (every warning before codes, and still most), or an object
 * with a `code` a program can match and a `message` a person reads.
 */
export type TimelineWarning = string | BleedLagWarning;

/** What the timeline is built from: one entry per input, probed or failed. */
export type ProbedInput =
  | { file: string; daily: DailyTrackName | null; probe: ProbeResult }
  | { file: string; daily: DailyTrackName | null; error: { code: string; message: string } };
