/**
 * Probed inputs → the meeting timeline. Pure and synchronous: the server, the CLI and the browser
 * inspector compute the same timeline from the same probes.
 *
 * Placement: a track's first audible sample goes where its container says (Daily raw-tracks
 * timestamps are relative to the recording start; Daily's raw-tracks clock). The Daily file name gives a
 * second opinion; when the two disagree unlike the other tracks do, or the container cannot be
 * read, the track says so in `warnings` and `offsetSource` names the clock used.
 */
import { DEFAULT_GAP_THRESHOLD_MS } from '../probe/packet-timeline.ts';
import { findOverlaps, openIntervals } from './overlaps.ts';
import type { ProbedInput, SkippedInput, Timeline, TimelineTrack } from './types.ts';

export type TimelineOptions = {
  gapThresholdMs?: number;
  /** How far a track's container-vs-filename delta may stray from the other tracks' median delta. */
  maxDeltaSpreadMs?: number;
};

/** A negative first timestamp this small is codec priming (AAC's 1024 samples ≈ 21 ms), not an offset. */
const PRIMING_TOLERANCE_MS = 100;

const round = (ms: number) => Math.round(ms * 1000) / 1000;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export const buildTimeline = (inputs: readonly ProbedInput[], options: TimelineOptions = {}): Timeline => {
  const gapThresholdMs = options.gapThresholdMs ?? DEFAULT_GAP_THRESHOLD_MS;
  const maxDeltaSpreadMs = options.maxDeltaSpreadMs ?? 100;
  const skipped: SkippedInput[] = [];
  const tracks: TimelineTrack[] = [];
  const warnings: string[] = [];

  for (const input of inputs) {
    if ('error' in input) {
      skipped.push({ file: input.file, code: input.error.code, reason: input.error.message });
      continue;
    }
    const { audio } = input.probe;
    if (!audio) {
      const video = input.probe.videoCodecs.length ? ` (video only: ${input.probe.videoCodecs.join(', ')})` : '';
      skipped.push({ file: input.file, code: 'MEDIA_NO_AUDIO', reason: `no audio stream${video}` });
      continue;
    }
    const trackWarnings: string[] = [];
    const { truncated } = input.probe;
    if (truncated) {
      trackWarnings.push(
        `file is truncated (${truncated.sizeBytes} of ${truncated.declaredBytes} bytes): its audio ends at ${round(audio.endMs / 1000)} s, possibly before the participant left`,
      );
    }
    for (const d of audio.damage) {
      const lost =
        d.lastGoodMs !== null && d.resumedMs !== null
          ? `, audio ${round(d.lastGoodMs / 1000)}–${round(d.resumedMs / 1000)} s (track time) lost`
          : d.lastGoodMs !== null
            ? `, audio after ${round(d.lastGoodMs / 1000)} s (track time) lost`
            : '';
      trackWarnings.push(`damaged data at byte ${d.atByte}: ${d.skippedBytes} bytes unreadable${lost}`);
    }
    const filenameOffsetMs = input.daily?.filenameOffsetMs ?? null;
    let containerOffsetMs: number | null = audio.firstMs;
    if (!Number.isFinite(containerOffsetMs)) containerOffsetMs = null;
    else if (containerOffsetMs < 0) {
      if (containerOffsetMs < -PRIMING_TOLERANCE_MS) {
        trackWarnings.push(`container start ${containerOffsetMs} ms is before the recording start; placed at 0`);
      }
      containerOffsetMs = 0;
    }
    let offsetMs: number;
    let offsetSource: TimelineTrack['offsetSource'];
    if (containerOffsetMs !== null) {
      offsetMs = containerOffsetMs;
      offsetSource = 'container';
    } else if (filenameOffsetMs !== null) {
      offsetMs = filenameOffsetMs;
      offsetSource = 'filename';
      trackWarnings.push('container start_time unreadable; placed by the Daily file name offset');
    } else {
      offsetMs = 0;
      offsetSource = 'none';
      trackWarnings.push('no start time in the container or the file name; placed at 0');
    }
    // Container clock → meeting clock. Zero unless the track was placed by another clock.
    const shiftMs = offsetMs - (containerOffsetMs ?? 0);
    const gaps = audio.gaps.map((g) => ({ startMs: round(g.startMs + shiftMs), endMs: round(g.endMs + shiftMs) }));
    const endMs = round(audio.endMs + shiftMs);
    const talkMs = round(endMs - offsetMs - gaps.reduce((sum, g) => sum + (g.endMs - g.startMs), 0));
    tracks.push({
      file: input.file,
      participantId: input.daily?.participantId ?? null,
      trackName: input.daily?.trackName ?? null,
      codec: audio.codec,
      offsetMs: round(offsetMs),
      offsetSource,
      containerOffsetMs: containerOffsetMs === null ? null : round(containerOffsetMs),
      filenameOffsetMs,
      offsetDeltaMs: containerOffsetMs !== null && filenameOffsetMs !== null ? round(containerOffsetMs - filenameOffsetMs) : null,
      endMs,
      durationMs: round(endMs - offsetMs),
      gaps,
      talkMs,
      output: null,
      warnings: trackWarnings,
    });
  }

  // Cross-check: on Daily the container-vs-filename delta is nearly constant across tracks, so
  // each is compared with the median of all (robust to one odd track; with two tracks that
  // disagree, neither can be trusted over the other and both are flagged).
  const withDelta = tracks.filter((t) => t.offsetDeltaMs !== null);
  const reference = withDelta.length > 1 ? median(withDelta.map((t) => t.offsetDeltaMs!)) : null;
  for (const track of reference === null ? [] : withDelta) {
    if (Math.abs(track.offsetDeltaMs! - reference!) > maxDeltaSpreadMs) {
      track.warnings.push(
        `container-vs-filename delta ${track.offsetDeltaMs} ms strays ${round(Math.abs(track.offsetDeltaMs! - reference!))} ms ` +
          `from the tracks' median ${round(reference!)} ms; placed by the container (${track.offsetMs} ms), ` +
          `the file name says ${track.filenameOffsetMs} ms`,
      );
    }
  }

  const recordingStarts = [...new Set(inputs.flatMap((i) => (i.daily ? [i.daily.recordingStartMs] : [])))];
  if (recordingStarts.length > 1) {
    warnings.push(`inputs come from ${recordingStarts.length} recordings (file name starts ${recordingStarts.join(', ')}); their clocks may not agree`);
  }
  if (tracks.length === 0) warnings.push('no input has a readable audio track');
  for (const track of tracks) {
    for (const w of track.warnings) if (w.startsWith('damaged data')) warnings.push(`${track.file}: ${w}; the mixdown is silent there`);
  }

  const overlaps = findOverlaps(tracks.map((t) => ({ file: t.file, intervals: openIntervals(t.offsetMs, t.endMs, t.gaps) })));
  return {
    durationMs: tracks.reduce((max, t) => Math.max(max, t.endMs), 0),
    recordingStartMs: recordingStarts.length === 1 ? recordingStarts[0]! : null,
    gapThresholdMs,
    tracks,
    skipped,
    overlaps,
    overlapMs: round(overlaps.reduce((sum, o) => sum + (o.endMs - o.startMs), 0)),
    warnings,
  };
};
