/**
 * Short-lived signed links to one recording's stored timeline and mixdown, for the inspector:
 * a browser opening `/debugger/?recording=<id>&expires=…&signature=…` carries no bearer token,
 * so the API hands out an HMAC over (purpose, recording id, expiry, the meeting's owner, who
 * asked) instead. The link dies before its expiry when the grant behind it does (issue 24): the
 * owner is read again at every use, so a reassigned meeting changes the MAC; the issuing API key
 * is looked up, so a revoked key's links stop with it. The issuer travels in the signature
 * (`<issuer, base64url>.<mac>`), so the inspector page passes the link on unchanged.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Principal } from './principal.ts';

const INSPECTOR_LINK_TTL_SEC = 3600;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Who asked for the link, as the grant to check again: `key:<api key id>`, `user:<subject>` or `operator:<name>`. */
const issuerOf = (principal: Pick<Principal, 'kind' | 'id'>) => `${principal.kind}:${principal.id}`;

const mac = (secret: string, recordingId: string, expiresSec: number, owner: string | null, issuer: string) =>
  createHmac('sha256', secret)
    .update(`inspector\n${recordingId}\n${expiresSec}\n${owner ?? ''}\n${issuer}`)
    .digest('base64url');

/** The meeting owner of a recording that still exists (a deleted one has no links); undefined when there is none. */
const ownerOf = async (db: Kysely<Database>, recordingId: string): Promise<{ owner: string | null } | undefined> => {
  if (!UUID.test(recordingId)) return undefined;
  const row = await db
    .selectFrom('recordings')
    .leftJoin('meetings', 'meetings.id', 'recordings.meeting_id')
    .select('meetings.owner as owner')
    .where('recordings.id', '=', recordingId)
    .where('recordings.status', '!=', 'deleted')
    .executeTakeFirst();
  return row && { owner: row.owner ?? null };
};

/** The query of a signed link for `principal`, who may see the recording (the caller checked). */
export const signInspectorLink = async (
  db: Kysely<Database>,
  secret: string,
  recordingId: string,
  principal: Pick<Principal, 'kind' | 'id'>,
  ttlSec = INSPECTOR_LINK_TTL_SEC,
  nowSec = Date.now() / 1000,
): Promise<{ expires: number; signature: string }> => {
  const expires = Math.floor(nowSec) + ttlSec;
  const issuer = issuerOf(principal);
  const { owner } = (await ownerOf(db, recordingId)) ?? { owner: null };
  return { expires, signature: `${Buffer.from(issuer).toString('base64url')}.${mac(secret, recordingId, expires, owner, issuer)}` };
};

/** The inspector's URL for a recording, signed for `principal`. */
export const inspectorUrl = async (db: Kysely<Database>, secret: string, recordingId: string, principal: Pick<Principal, 'kind' | 'id'>) => {
  const link = await signInspectorLink(db, secret, recordingId, principal);
  return `/debugger/?${new URLSearchParams({ recording: recordingId, expires: String(link.expires), signature: link.signature })}`;
};

/** True for an unexpired link whose meeting owner is unchanged and whose issuing key (if a key) is not revoked. */
export const verifyInspectorLink = async (
  db: Kysely<Database>,
  secret: string,
  recordingId: string,
  expires: unknown,
  signature: unknown,
  nowSec = Date.now() / 1000,
): Promise<boolean> => {
  const exp = Number(expires);
  if (typeof signature !== 'string' || !Number.isSafeInteger(exp) || exp < nowSec) return false;
  const dot = signature.indexOf('.');
  if (dot < 1) return false;
  const issuer = Buffer.from(signature.slice(0, dot), 'base64url').toString();
  const recording = await ownerOf(db, recordingId);
  if (!recording) return false;
  const expected = Buffer.from(mac(secret, recordingId, exp, recording.owner, issuer));
  const given = Buffer.from(signature.slice(dot + 1));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
  if (!issuer.startsWith('key:')) return true;
  const keyId = issuer.slice('key:'.length);
  if (!UUID.test(keyId)) return false;
  const key = await db.selectFrom('api_keys').select('id').where('id', '=', keyId).where('revoked_at', 'is', null).executeTakeFirst();
  return Boolean(key);
};
