/**
 * Probed inputs (and Daily's event JSON, when it came with them) → the meeting timeline. Pure and
 * synchronous: the server, the CLI and the browser inspector compute the same timeline from the
 * same probes.
 *
 * Placement is place-track.ts: WebM tracks by their container (Daily raw-tracks timestamps are
 * relative to the recording start), gapless WAV/AAC tracks by the event JSON, else their file
 * name. The Daily file name and the event JSON are second opinions; where they disagree the track
 * says so in `warnings`, and `offsetSource` names the clock used. Gaps say whether they are mutes
 * (track-gaps.ts).
 */
import { containerShiftMs } from './container-shift.ts';
import { DEFAULT_GAP_THRESHOLD_MS } from '../probe/packet-timeline.ts';
import { isWebmContainer } from '../probe/container-kind.ts';
import { type DailyEventLog, eventTrackOf } from './daily-events.ts';
import { findOverlaps, openIntervals } from './overlaps.ts';
import { containerCarriesNoOffset, NO_OFFSET_CONTAINER_MS, placeTrack } from './place-track.ts';
import { gapsTotalMs, trackGaps } from './track-gaps.ts';
import { containerOffset, inputWarnings, round } from './probe-warnings.ts';
import { publicTimeline, trackMedia } from './track-media.ts';
import type { PlannedTimeline, PlannedTrack, ProbedInput, SkippedInput, Timeline, TimelineTrack } from './types.ts';

export type TimelineOptions = {
  gapThresholdMs?: number;
  /** How far a track's container-vs-filename delta may stray from the other tracks' median delta. */
  maxDeltaSpreadMs?: number;
  /** Daily's event JSON among the inputs: parsed, or why it could not be. */
  events?: { file: string; log: DailyEventLog } | { file: string; error: string };
};

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The timeline as written and served (`inspect`, the inspector's probe-only view): `planTimeline` without the tracks' media facts. */
export const buildTimeline = (inputs: readonly ProbedInput[], options: TimelineOptions = {}): Timeline => publicTimeline(planTimeline(inputs, options));

/** The timeline the pipeline renders from: every track carries what its render needs from its probe (`media`). */
export const planTimeline = (inputs: readonly ProbedInput[], options: TimelineOptions = {}): PlannedTimeline => {
  const gapThresholdMs = options.gapThresholdMs ?? DEFAULT_GAP_THRESHOLD_MS;
  const maxDeltaSpreadMs = options.maxDeltaSpreadMs ?? 100;
  const log = options.events && 'log' in options.events ? options.events.log : null;
  const skipped: SkippedInput[] = [];
  const tracks: PlannedTrack[] = [];
  const warnings: string[] = [];
  if (options.events && 'error' in options.events) warnings.push(`${options.events.file}: not usable as Daily's event JSON (${options.events.error})`);

  const audible = inputs.flatMap((input) => {
    if ('error' in input) {
      skipped.push({ file: input.file, code: input.error.code, reason: input.error.message });
      return [];
    }
    if (!input.probe.audio) {
      const video = input.probe.videoCodecs.length ? ` (video only: ${input.probe.videoCodecs.join(', ')})` : '';
      skipped.push({ file: input.file, code: 'MEDIA_NO_AUDIO', reason: `no audio stream${video}` });
      return [];
    }
    const trackWarnings = inputWarnings(input);
    return [
      {
        input,
        audio: input.probe.audio,
        event: log ? eventTrackOf(log, input.file, input.daily?.participantId) : undefined,
        warnings: trackWarnings,
        containerOffsetMs: containerOffset(input.probe.audio.firstMs, trackWarnings),
      },
    ];
  });
  // The recording's WebM tracks tell how far Daily's file-name clock is from the container clock.
  const webmDeltas = audible
    .filter((a) => isWebmContainer(a.input.probe.container) && a.input.daily && a.containerOffsetMs !== null)
    .map((a) => a.containerOffsetMs! - a.input.daily!.filenameOffsetMs);
  const webmDeltaMs = webmDeltas.length ? round(median(webmDeltas)) : null;
  // Tracks whose containers carry an offset tell how far names are from containers for those that do not.
  const withoutOffset = (a: (typeof audible)[number]) =>
    containerCarriesNoOffset({
      webmOpus: isWebmContainer(a.input.probe.container) && a.audio.codec === 'opus',
      containerOffsetMs: a.containerOffsetMs,
      filenameOffsetMs: a.input.daily?.filenameOffsetMs ?? null,
    });
  const carrierDeltas = audible
    .filter((a) => isWebmContainer(a.input.probe.container) && a.input.daily && a.containerOffsetMs !== null && a.containerOffsetMs > NO_OFFSET_CONTAINER_MS)
    .map((a) => a.containerOffsetMs! - a.input.daily!.filenameOffsetMs);
  const carrierDeltaMs = carrierDeltas.length ? round(median(carrierDeltas)) : null;

  for (const entry of audible) {
    const { input, audio, event, warnings: trackWarnings, containerOffsetMs } = entry;
    const containerWithoutOffset = withoutOffset(entry);
    const filenameOffsetMs = input.daily?.filenameOffsetMs ?? null;
    // A non-WebM audio file of a Daily recording (named like one, or beside its event JSON) is Daily's gapless transcode.
    const transcoded = !isWebmContainer(input.probe.container) && (Boolean(input.daily) || Boolean(log));
    const placed = placeTrack({
      containerOffsetMs,
      filenameOffsetMs,
      transcoded,
      event,
      haveEvents: Boolean(log),
      webmDeltaMs,
      containerWithoutOffset,
      carrierDeltaMs,
    });
    if ('skip' in placed) {
      skipped.push({ file: input.file, code: 'TIMELINE_NO_OFFSET', reason: placed.skip });
      continue;
    }
    const { offsetMs, offsetSource } = placed;
    trackWarnings.push(...placed.warnings);
    const shiftMs = containerShiftMs({ offsetMs, containerOffsetMs });
    let endMs = round(audio.endMs + shiftMs);
    if (event?.removedAtMs != null && event.removedAtMs > offsetMs && event.removedAtMs < endMs) endMs = event.removedAtMs; // track-removed ends it
    const packetGaps = audio.gaps
      .map((g) => ({ startMs: round(g.startMs + shiftMs), endMs: round(Math.min(g.endMs + shiftMs, endMs)) }))
      .filter((g) => g.endMs > g.startMs);
    const gaps = trackGaps(packetGaps, log ? (event?.mutes ?? []) : null, offsetMs, endMs);
    const eventOffsetMs = event?.offsetMs ?? null;
    const eventDeltaMs = offsetSource === 'container' && eventOffsetMs !== null && containerOffsetMs !== null ? round(containerOffsetMs - eventOffsetMs) : null;
    const track: TimelineTrack = {
      file: input.file,
      participantId: input.daily?.participantId ?? event?.participantId ?? null,
      trackName: input.daily?.trackName ?? event?.trackType ?? null,
      codec: audio.codec,
      offsetMs: round(offsetMs),
      offsetSource,
      containerOffsetMs: containerOffsetMs === null ? null : round(containerOffsetMs),
      filenameOffsetMs,
      // A container without an offset says nothing about the name's clock: no delta to cross-check.
      offsetDeltaMs:
        containerOffsetMs !== null && filenameOffsetMs !== null && !transcoded && !containerWithoutOffset ? round(containerOffsetMs - filenameOffsetMs) : null,
      eventOffsetMs,
      eventDeltaMs,
      displayName: event?.displayName ?? null,
      endMs,
      durationMs: round(endMs - offsetMs),
      gaps,
      presenceMs: round(endMs - offsetMs - gapsTotalMs(gaps)),
      speech: null,
      talkMs: null,
      bleed: null,
      bleedMs: null,
      output: null,
      peaks: null,
      render: null,
      packetsDropped: null,
      warnings: trackWarnings,
    };
    tracks.push({ ...track, media: trackMedia(input.probe, track) });
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
  if (log) {
    const present = new Set(inputs.map((i) => i.file));
    for (const t of log.tracks) {
      if (t.kind === 'audio' && t.fileName && ![...present].some((f) => eventTrackOf({ ...log, tracks: [t] }, f))) {
        warnings.push(`the event JSON names ${t.fileName}${t.displayName ? ` (${t.displayName})` : ''}, which is not among the inputs`);
      }
    }
  }

  const overlaps = findOverlaps(tracks.map((t) => ({ file: t.file, intervals: openIntervals(t.offsetMs, t.endMs, t.gaps) })));
  return {
    durationMs: tracks.reduce((max, t) => Math.max(max, t.endMs), 0),
    recordingStartMs: log?.recordingStartMs ?? (recordingStarts.length === 1 ? recordingStarts[0]! : null),
    gapThresholdMs,
    tracks,
    skipped,
    presenceOverlaps: overlaps,
    presenceOverlapMs: round(overlaps.reduce((sum, o) => sum + (o.endMs - o.startMs), 0)),
    crosstalk: null,
    crosstalkMs: null,
    bleedPairs: null,
    chat: log?.chat ?? [],
    eventsFile: options.events?.file ?? null,
    warnings,
  };
};
