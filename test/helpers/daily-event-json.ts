/**
 * Daily's raw-tracks event JSON for a synthetic meeting, as the recording system writes it
 * (github.com/daily-co/raw-tracks-tools, src/parse-events.js): epoch seconds, one track session
 * per track, `recording-media-started` naming its media, pauses as mutes, chat.
 */
import { dailyName, type SyntheticTrack } from '../../src/demo/synthetic-meeting.ts';

export const RECORDING_START_MS = 1_700_000_000_000;

export type EventTrackSpec = {
  track: SyntheticTrack;
  participantId: string;
  displayName: string;
  contentType: 'audio/webm' | 'audio/wav' | 'audio/mp4';
  /** Leave out its recording-media-started event. */
  noMediaStarted?: boolean;
};

/** The media base name Daily would give a track (no extension): the raw-track name. */
export const mediaBaseName = (t: EventTrackSpec) => dailyName(t.participantId, 'cam-audio', t.track.startSec);

export const dailyEventJson = (specs: readonly EventTrackSpec[], chat: ReadonlyArray<{ atSec: number; name: string; text: string }> = []) => {
  const sec = (recordingSec: number) => (RECORDING_START_MS + recordingSec * 1000) / 1000;
  const events: Array<{ ts: number; type: string; participant_id?: string; data: Record<string, unknown> }> = [];
  specs.forEach((s, i) => {
    const trackSessionNum = i + 1;
    const t = s.track;
    events.push({
      ts: sec(Math.max(0, t.startSec - 0.3)),
      type: 'track-added',
      participant_id: s.participantId,
      data: { trackSessionNum, kind: 'audio', trackType: 'cam-audio', displayName: s.displayName, paused: false },
    });
    if (!s.noMediaStarted) {
      events.push({
        ts: sec(t.startSec),
        type: 'recording-media-started',
        participant_id: s.participantId,
        data: { trackSessionNum, uri: `s3://bucket/acme/room/${mediaBaseName(s)}`, mediaStartTime: sec(t.startSec), contentType: s.contentType },
      });
    }
    for (const [a, b] of t.mutesSec ?? []) {
      events.push({ ts: sec(a), type: 'track-paused', participant_id: s.participantId, data: { trackSessionNum } });
      events.push({ ts: sec(b), type: 'track-resumed', participant_id: s.participantId, data: { trackSessionNum } });
    }
    events.push({ ts: sec(t.endSec), type: 'track-removed', participant_id: s.participantId, data: { trackSessionNum } });
  });
  for (const c of chat) events.push({ ts: sec(c.atSec), type: 'chat-msg', participant_id: 'x', data: { event: 'chat-msg', message: c.text, name: c.name } });
  events.sort((a, b) => a.ts - b.ts);
  return { events };
};
