/**
 * Where a track starts on the meeting timeline, and by which clock. Pure.
 *
 * - WebM (Daily raw tracks, untranscoded): its container's first timestamp, which Daily writes
 *   relative to the recording start; the file name and the event JSON are cross-checks.
 * - Gapless transcoded audio (WAV/AAC/MP4 with a Daily name or beside the event JSON): its
 *   timestamps start at ~0, so the container says nothing. Placed by the event JSON's
 *   `mediaStartTime − recording start` (Daily's composite-from-events: "trusting
 *   probe.startTime is the bug"); without it by the file name's offset, corrected by the median
 *   container-vs-name delta of the recording's WebM tracks, with a warning; with neither it is
 *   not placed at all.
 * - A WebM/Opus track whose container starts at ~0 while its Daily-style name says it joined at
 *   least a second after the recording start: its container carries no offset (a browser's
 *   MediaRecorder, other recorders start every file at 0), so it is placed by its name, corrected
 *   by the median container-vs-name delta of the tracks whose containers do carry one, with a
 *   warning — the rule of the gapless transcoded tracks. Daily's own first joiner (container at 0,
 *   name ~200 ms later) stays placed by its container.
 * - Anything else (a Whereby MP4): its container, from 0.
 */
import type { EventTrack } from './daily-events.ts';
import type { OffsetSource } from './types.ts';

/** A container start this close to 0 carries no offset. */
export const NO_OFFSET_CONTAINER_MS = 20;
/** A name saying the track joined this late, with a container at 0, means the container carries no offset. */
export const NAMED_LATE_JOIN_MS = 1_000;

/** Whether a WebM/Opus track's container starts at 0 although its name says it joined later (see above). */
export const containerCarriesNoOffset = (t: { webmOpus: boolean; containerOffsetMs: number | null; filenameOffsetMs: number | null }): boolean =>
  t.webmOpus &&
  t.containerOffsetMs !== null &&
  Math.abs(t.containerOffsetMs) <= NO_OFFSET_CONTAINER_MS &&
  t.filenameOffsetMs !== null &&
  t.filenameOffsetMs >= NAMED_LATE_JOIN_MS;

export type Placement = { offsetMs: number; offsetSource: OffsetSource; warnings: string[] } | { skip: string };

export type PlacementInput = {
  containerOffsetMs: number | null;
  filenameOffsetMs: number | null;
  /** A gapless transcoded Daily track (its container's clock starts at ~0). */
  transcoded: boolean;
  event: EventTrack | undefined;
  /** Whether an event JSON came with the inputs (names what was missing in warnings). */
  haveEvents: boolean;
  /** The median container-vs-name delta of the recording's WebM tracks, if any. */
  webmDeltaMs: number | null;
  /** A WebM/Opus track whose container starts at 0 although its name says it joined later. */
  containerWithoutOffset?: boolean;
  /** The median container-vs-name delta of the tracks whose containers carry an offset (start after 20 ms), if any. */
  carrierDeltaMs?: number | null;
};

export const placeTrack = (p: PlacementInput): Placement => {
  if (p.transcoded) {
    if (p.event?.offsetMs != null) return { offsetMs: p.event.offsetMs, offsetSource: 'events', warnings: [] };
    const missing = !p.haveEvents
      ? 'no event JSON came with it'
      : p.event
        ? 'the event JSON has no recording-media-started for it'
        : 'the event JSON does not list it';
    if (p.filenameOffsetMs !== null) {
      const corrected = p.filenameOffsetMs + (p.webmDeltaMs ?? 0);
      const how = p.webmDeltaMs === null ? '' : ` corrected by the WebM tracks' median container-vs-name delta (${p.webmDeltaMs} ms)`;
      return { offsetMs: corrected, offsetSource: 'filename', warnings: [`gapless transcoded track placed by its file name${how}: ${missing}`] };
    }
    return { skip: `a gapless transcoded track starts at 0 in its own clock and cannot be placed: ${missing}, and its name is not a Daily raw-track name` };
  }
  if (p.containerWithoutOffset && p.filenameOffsetMs !== null) {
    const delta = p.carrierDeltaMs ?? null;
    const how = delta === null ? '' : `, corrected by the median container-vs-name delta (${delta} ms) of the tracks whose containers carry an offset`;
    return {
      offsetMs: p.filenameOffsetMs + (delta ?? 0),
      offsetSource: 'filename',
      warnings: [
        `its container starts at ${p.containerOffsetMs} ms (no offset, as a browser's MediaRecorder writes) while its name says it joined at ${p.filenameOffsetMs} ms: placed by its name${how}`,
      ],
    };
  }
  if (p.containerOffsetMs !== null) return { offsetMs: p.containerOffsetMs, offsetSource: 'container', warnings: [] };
  if (p.filenameOffsetMs !== null)
    return { offsetMs: p.filenameOffsetMs, offsetSource: 'filename', warnings: ['container start_time unreadable; placed by the Daily file name offset'] };
  if (p.event?.offsetMs != null)
    return { offsetMs: p.event.offsetMs, offsetSource: 'events', warnings: ['container start_time unreadable; placed by the event JSON'] };
  return { offsetMs: 0, offsetSource: 'none', warnings: ['no start time in the container or the file name; placed at 0'] };
};
