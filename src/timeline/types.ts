/**
 * The meeting timeline: plain data, JSON as written to `timeline.json`, shared by the CLI, the
 * server and the inspector. All times are meeting time, milliseconds from the recording start,
 * unless a name says `container` (the track's own clock).
 */
import type { Gap } from '../probe/packet-timeline.ts';
import type { ProbeResult } from '../probe/probe-media.ts';
import type { DailyTrackName } from './daily-track-name.ts';

export type { Gap };

/** Which clock placed the track: the container's start_time (preferred, Daily's raw-tracks clock), the Daily file name, or nothing. */
export type OffsetSource = 'container' | 'filename' | 'none';

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
  /** The track's end in meeting time (end of its last packet). */
  endMs: number;
  /** The track's length: `endMs - offsetMs`. */
  durationMs: number;
  /** Muted stretches (no packets) longer than the threshold, in meeting time. */
  gaps: Gap[];
  /** Time with the mic open: from offset to end, less the gaps. */
  talkMs: number;
  /** Rendered file, relative to the output directory; null until rendered (or if rendering failed). */
  output: string | null;
  warnings: string[];
};

export type SkippedInput = { file: string; code: string; reason: string };

export type Overlap = { startMs: number; endMs: number; files: string[] };

export type Timeline = {
  /** Meeting duration: the latest track end. */
  durationMs: number;
  /** Daily recording start (epoch ms) when the file names carry it. */
  recordingStartMs: number | null;
  gapThresholdMs: number;
  tracks: TimelineTrack[];
  skipped: SkippedInput[];
  /** Stretches where two or more mics are open at once. */
  overlaps: Overlap[];
  overlapMs: number;
  warnings: string[];
};

/** What the timeline is built from: one entry per input, probed or failed. */
export type ProbedInput =
  | { file: string; daily: DailyTrackName | null; probe: ProbeResult }
  | { file: string; daily: DailyTrackName | null; error: { code: string; message: string } };
