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
 * - Anything else (a Whereby MP4): its container, from 0.
 */
import type { EventTrack } from './daily-events.ts';
import type { OffsetSource } from './types.ts';

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
  if (p.containerOffsetMs !== null) return { offsetMs: p.containerOffsetMs, offsetSource: 'container', warnings: [] };
  if (p.filenameOffsetMs !== null)
    return { offsetMs: p.filenameOffsetMs, offsetSource: 'filename', warnings: ['container start_time unreadable; placed by the Daily file name offset'] };
  if (p.event?.offsetMs != null)
    return { offsetMs: p.event.offsetMs, offsetSource: 'events', warnings: ['container start_time unreadable; placed by the event JSON'] };
  return { offsetMs: 0, offsetSource: 'none', warnings: ['no start time in the container or the file name; placed at 0'] };
};
