/**
 * Signed Daily deliveries to a running service, and the waiting the fault tests share: Daily's
 * envelope and signature (docs.daily.co/reference/rest-api/webhooks), a raw-tracks
 * `recording.ready-to-download` for one room's folder, and polling until a state holds.
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

/** Resolves with the first truthy answer of `check` (errors count as not yet), or throws after `timeoutMs`. */
export const waitUntil = async <T>(what: string, check: () => Promise<T | false | null | undefined>, timeoutMs = 120_000): Promise<T> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => null);
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
