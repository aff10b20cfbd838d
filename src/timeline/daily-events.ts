/**
 * Daily's raw-tracks event JSON: `{ "events": [{ ts, type, participant_id, data }] }`, written by
 * the recording system beside the media files (github.com/daily-co/raw-tracks-tools,
 * src/parse-events.js). Pure; recognised by its content, whatever the file is called.
 *
 * - The recording start is the number before the first `-` of a `recording-media-started` URI's
 *   base name (epoch ms); `ts` and `mediaStartTime` are epoch seconds.
 * - `track-added` (trackSessionNum, kind, trackType, displayName, paused) opens a track session;
 *   `recording-media-started` names its media (URI base name + an extension from the content
 *   type) and when its first sample was recorded; `track-paused` / `track-resumed` are mutes;
 *   `track-removed` ends it; `chat-msg` with `data.event === 'chat-msg'` is a chat message.
 */
import { z } from 'zod';

const Event = z.looseObject({ ts: z.number(), type: z.string(), participant_id: z.string().nullish(), data: z.looseObject({}).nullish() });
const EventJson = z.looseObject({ events: z.array(Event).min(1) });

const EXTENSIONS: Record<string, string> = {
  'video/webm': '.webm',
  'audio/webm': '.webm',
  'audio/wav': '.wav',
  'audio/x-wav': '.wav',
  'audio/aac': '.aac',
  'audio/mp4': '.aac',
};

export type Interval = { startMs: number; endMs: number };

export type EventTrack = {
  /** The media file: URI base name + extension from the content type. */
  fileName: string;
  baseName: string;
  participantId: string | null;
  trackSessionNum: number | string;
  kind: string | null;
  trackType: string | null;
  displayName: string | null;
  contentType: string | null;
  /** `mediaStartTime − recording start`, meeting time; null without `recording-media-started`. */
  offsetMs: number | null;
  /** Paused stretches (meeting time); an unclosed one ends at removal or the log's end. */
  mutes: Interval[];
  /** `track-removed`, meeting time. */
  removedAtMs: number | null;
};

export type ChatMessage = { atMs: number; name: string; text: string };

export type DailyEventLog = {
  recordingStartMs: number;
  /** Every track session, media named or not. */
  tracks: EventTrack[];
  chat: ChatMessage[];
  /** The last event, meeting time. */
  endMs: number;
};

/** Is this parsed JSON a Daily event log? (Cheap: the shape, not every event.) */
export const isDailyEventJson = (json: unknown): boolean =>
  EventJson.safeParse(json).success &&
  (json as { events: Array<{ type: string }> }).events.some((e) => e.type === 'recording-media-started' || e.type === 'track-added');

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** Parses the log; throws a plain Error saying what is missing (the caller turns it into a warning). */
export const parseDailyEvents = (json: unknown): DailyEventLog => {
  const { events } = EventJson.parse(json);
  let recordingStartMs: number | null = null;
  for (const ev of events) {
    const uri = str(ev.data?.uri);
    if (ev.type !== 'recording-media-started' || !uri) continue;
    const base = uri.slice(uri.lastIndexOf('/') + 1);
    const start = Number(base.slice(0, base.indexOf('-')));
    if (base.indexOf('-') > 0 && Number.isSafeInteger(start)) {
      recordingStartMs = start;
      break;
    }
  }
  if (recordingStartMs === null) throw new Error('no recording-media-started event names a file, so the recording start is unknown');
  const meetingMs = (tsSec: number) => Math.round(tsSec * 1000 - recordingStartMs!);
  const sessions = new Map<string, EventTrack>();
  const chat: ChatMessage[] = [];
  const key = (ev: z.infer<typeof Event>) => String(ev.data?.trackSessionNum);
  for (const ev of events) {
    const data = ev.data ?? {};
    if (ev.type === 'track-added') {
      const track: EventTrack = {
        fileName: '',
        baseName: '',
        participantId: str(ev.participant_id),
        trackSessionNum: data.trackSessionNum as number,
        kind: str(data.kind),
        trackType: str(data.trackType),
        displayName: str(data.displayName),
        contentType: null,
        offsetMs: null,
        mutes: data.paused === true ? [{ startMs: meetingMs(ev.ts), endMs: Number.NaN }] : [],
        removedAtMs: null,
      };
      sessions.set(key(ev), track);
    } else if (ev.type === 'recording-media-started') {
      const track = sessions.get(key(ev));
      const uri = str(data.uri);
      if (!track || !uri) continue;
      track.baseName = uri.slice(uri.lastIndexOf('/') + 1);
      track.contentType = str(data.contentType);
      track.fileName = track.baseName + (EXTENSIONS[track.contentType ?? ''] ?? '.webm');
      if (typeof data.mediaStartTime === 'number') track.offsetMs = meetingMs(data.mediaStartTime);
    } else if (ev.type === 'track-paused' || ev.type === 'track-resumed' || ev.type === 'track-removed') {
      const track = sessions.get(key(ev));
      if (!track) continue;
      const open = track.mutes.at(-1);
      const isOpen = open !== undefined && Number.isNaN(open.endMs);
      if (ev.type === 'track-paused' && !isOpen) track.mutes.push({ startMs: meetingMs(ev.ts), endMs: Number.NaN });
      if (ev.type !== 'track-paused' && isOpen) open.endMs = meetingMs(ev.ts);
      if (ev.type === 'track-removed') track.removedAtMs = meetingMs(ev.ts);
    } else if (ev.type === 'chat-msg' && data.event === 'chat-msg' && str(data.message)) {
      chat.push({ atMs: meetingMs(ev.ts), name: str(data.name) ?? '', text: String(data.message) });
    }
  }
  const endMs = meetingMs(events.reduce((max, e) => Math.max(max, e.ts), 0));
  for (const track of sessions.values()) for (const m of track.mutes) if (Number.isNaN(m.endMs)) m.endMs = track.removedAtMs ?? endMs;
  return { recordingStartMs, tracks: [...sessions.values()], chat, endMs };
};

/**
 * The log's track for an input file: by its media file name, or its base name without an
 * extension; else, for a Daily-named file, the participant's audio session whose media the log
 * never named (its `recording-media-started` is missing).
 */
export const eventTrackOf = (log: DailyEventLog, file: string, participantId?: string | null): EventTrack | undefined => {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const named = log.tracks.find((t) => t.fileName && (t.fileName === base || t.baseName === base || t.baseName === base.replace(/\.[A-Za-z0-9]{1,5}$/, '')));
  if (named || !participantId) return named;
  const unnamed = log.tracks.filter((t) => !t.fileName && t.kind === 'audio' && t.participantId === participantId);
  return unnamed.length === 1 ? unnamed[0] : undefined;
};
