/**
 * Short-lived signed links to one recording's stored timeline and mixdown, for the inspector:
 * a browser opening `/debugger/?recording=<id>&expires=…&signature=…` carries no bearer token,
 * so the API hands out this HMAC over (purpose, recording id, expiry) instead.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const INSPECTOR_LINK_TTL_SEC = 3600;

const mac = (secret: string, recordingId: string, expiresSec: number) =>
  createHmac('sha256', secret).update(`inspector\n${recordingId}\n${expiresSec}`).digest('base64url');

export const signInspectorLink = (secret: string, recordingId: string, ttlSec = INSPECTOR_LINK_TTL_SEC, nowSec = Date.now() / 1000) => {
  const expires = Math.floor(nowSec) + ttlSec;
  return { expires, signature: mac(secret, recordingId, expires) };
};

export const verifyInspectorLink = (secret: string, recordingId: string, expires: unknown, signature: unknown, nowSec = Date.now() / 1000): boolean => {
  const exp = Number(expires);
  if (typeof signature !== 'string' || !Number.isSafeInteger(exp) || exp < nowSec) return false;
  const expected = Buffer.from(mac(secret, recordingId, exp));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
};
