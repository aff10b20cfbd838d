/**
 * Whereby webhook signatures (docs.whereby.com/reference/webhooks#verifying-the-signature): `Whereby-Signature: t=<unix s>,v1=<hex>`,
 * v1 = hex(HMAC-SHA256(secret as UTF-8, t + "." + body)). Whereby signs compact JSON; the raw
 * body is checked first, then its compact re-serialisation (covers whitespace differences).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const WHEREBY_SIGNATURE_TOLERANCE_SEC = 300;

export const signWhereby = (body: string, timestampSec: number, secret: string): string =>
  `t=${timestampSec},v1=${createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex')}`;

export const verifyWherebySignature = (
  raw: Uint8Array | string,
  header: string | null,
  secret: string,
  nowSec = Date.now() / 1000,
): { ok: true } | { ok: false; reason: string } => {
  const match = header?.match(/^t=(\d+),v1=([0-9a-f]+)$/);
  if (!match) return { ok: false, reason: 'missing or malformed Whereby-Signature' };
  const [, t, v1] = match as unknown as [string, string, string];
  if (Math.abs(nowSec - Number(t)) > WHEREBY_SIGNATURE_TOLERANCE_SEC) return { ok: false, reason: 'stale timestamp' };
  const check = (body: Uint8Array | string) => {
    const mac = createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');
    return mac.length === v1.length && timingSafeEqual(Buffer.from(mac), Buffer.from(v1));
  };
  if (check(raw)) return { ok: true };
  try {
    if (check(JSON.stringify(JSON.parse(typeof raw === 'string' ? raw : new TextDecoder().decode(raw))))) return { ok: true };
  } catch {
    // not JSON: cannot match either way
  }
  return { ok: false, reason: 'signature mismatch' };
};
