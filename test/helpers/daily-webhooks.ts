/**
 * Signed Daily deliveries to a running service: Daily's
 * envelope and signature (docs.daily.co/reference/rest-api/webhooks), a raw-tracks
 * `recording.ready-to-download` for one room's folder (waiting on a state: wait.ts).
 */
import { signDaily } from '../../src/platforms/daily/signature.ts';

export const postDaily = (serviceUrl: string, body: unknown, secretBase64: string) => {
  const raw = JSON.stringify(body);
  const ts = String(Math.floor(Date.now() / 1000));
  return fetch(new URL('/v1/daily/webhook', serviceUrl), {
    method: 'POST',
    body: raw,
    headers: { 'x-webhook-timestamp': ts, 'x-webhook-signature': signDaily(new TextEncoder().encode(raw), ts, secretBase64) },
  });
};

/** `recording.ready-to-download` for `rec-<room>`, its audio tracks in `acme/<room>/`. */
export const readyEvent = (eventId: string, room: string, trackNames: readonly string[]) => ({
  version: '1.0.0',
  type: 'recording.ready-to-download',
  id: eventId,
  event_ts: Date.now() / 1000,
  payload: {
    type: 'raw-tracks',
    recording_id: `rec-${room}`,
    room_name: room,
    start_ts: 1_700_000_000,
    s3_key: `acme/${room}/1700000000000`,
    tracks: trackNames.map((name) => ({ type: 'audio', s3Key: `acme/${room}/${name}`, size: 1 })),
  },
});
