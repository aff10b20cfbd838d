/**
 * Daily webhook signatures (docs.daily.co/reference/rest-api/webhooks#webhook-signatures): base64(HMAC-SHA256(
 * base64decode(secret), timestamp + "." + rawBody)) in `X-Webhook-Signature`, the timestamp in
 * `X-Webhook-Timestamp`. The raw bytes are signed: never re-serialise the JSON.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Daily does not document a window; 5 minutes bounds replays and tolerates clock skew. */
const DAILY_SIGNATURE_TOLERANCE_SEC = 300;

export const signDaily = (rawBody: Uint8Array, timestamp: string, secretBase64: string): string =>
  createHmac('sha256', Buffer.from(secretBase64, 'base64')).update(timestamp).update('.').update(rawBody).digest('base64');

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export const verifyDailySignature = (
  rawBody: Uint8Array,
  signature: string | null,
  timestamp: string | null,
  secretBase64: string,
  nowSec = Date.now() / 1000,
): SignatureCheck => {
  if (!signature || !timestamp) return { ok: false, reason: 'missing X-Webhook-Signature or X-Webhook-Timestamp' };
  const ts = Number(timestamp);
  // Daily sends seconds; accept milliseconds too rather than reject a whole class of senders.
  const tsSec = ts > 1e12 ? ts / 1000 : ts;
  if (!Number.isFinite(tsSec) || Math.abs(nowSec - tsSec) > DAILY_SIGNATURE_TOLERANCE_SEC) return { ok: false, reason: 'stale or invalid timestamp' };
  const expected = Buffer.from(signDaily(rawBody, timestamp, secretBase64));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: 'signature mismatch' };
};
