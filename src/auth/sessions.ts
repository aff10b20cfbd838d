/**
 * Browser sessions (issue 30, the operator view): an API key is exchanged once for a random
 * token carried in an HttpOnly, SameSite=Strict cookie, so the page never holds the key. The
 * database keeps the token's SHA-256 only (full entropy, as API keys: auth/api-keys.ts). A session
 * is the key's principal for as long as the key stands: every use joins an unrevoked key, so
 * revoking the key ends its sessions at once; signing out deletes the row.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { touchApiKey } from './api-keys.ts';
import type { Principal } from './principal.ts';

export const SESSION_COOKIE = 'rt_session';
/** A working day; the cookie's Max-Age is the same. */
export const SESSION_TTL_SEC = 12 * 3600;
const TOKEN = /^rts_[A-Za-z0-9_-]{43}$/;

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * The session token in a `Cookie` header, or null. Two cookies of that name mean one was planted
 * (a sibling host's cookie with a narrower path is sent first, RFC 6265 §5.4): neither counts, so
 * nobody is signed into someone else's session.
 */
export const sessionTokenOf = (cookieHeader: string | null): string | null => {
  const values = (cookieHeader ?? '')
    .split(';')
    .map((part) => [part.slice(0, part.indexOf('=')).trim(), part.slice(part.indexOf('=') + 1).trim()] as const)
    .filter(([name]) => name === SESSION_COOKIE)
    .map(([, value]) => value);
  return values.length === 1 && TOKEN.test(values[0]!) ? values[0]! : null;
};

/** A new session for an API key (the caller authenticated it); expired sessions are swept on the way. */
export const createSession = async (db: Kysely<Database>, apiKeyId: string, nowMs = Date.now()): Promise<{ token: string; expiresAt: Date }> => {
  const token = `rts_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(nowMs + SESSION_TTL_SEC * 1000);
  await db.deleteFrom('sessions').where('expires_at', '<', sql<Date>`now()`).execute();
  await db
    .insertInto('sessions')
    .values({ token_sha256: hashToken(token), api_key_id: apiKeyId, expires_at: expiresAt })
    .execute();
  return { token, expiresAt };
};

/** The principal of an unexpired session whose key is not revoked, with the session's expiry; null otherwise. */
export const principalOfSession = async (db: Kysely<Database>, token: string): Promise<(Principal & { expiresAt: Date }) | null> => {
  if (!TOKEN.test(token)) return null;
  const row = await db
    .selectFrom('sessions')
    .innerJoin('api_keys', 'api_keys.id', 'sessions.api_key_id')
    .select(['api_keys.id', 'api_keys.name', 'api_keys.scope', 'api_keys.last_used_at', 'sessions.expires_at'])
    .where('sessions.token_sha256', '=', hashToken(token))
    .where('sessions.expires_at', '>', sql<Date>`now()`)
    .where('api_keys.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  // A key used only through the operator view is in use, not idle (GET /v1/api-keys).
  await touchApiKey(db, row.id, row.last_used_at);
  return { kind: 'key', id: row.id, name: row.name, scope: row.scope, owner: `key:${row.id}`, expiresAt: row.expires_at };
};

/** Ends the session of a token (sign-out); false when there was none. */
export const endSession = async (db: Kysely<Database>, token: string): Promise<boolean> => {
  const row = await db.deleteFrom('sessions').where('token_sha256', '=', hashToken(token)).returning('id').executeTakeFirst();
  return Boolean(row);
};

/**
 * The `Set-Cookie` value: HttpOnly (no script reads it), SameSite=Strict (no other site's page
 * sends it), Path=/v1 (only the API needs it), Secure when the page came over HTTPS.
 * `token` null clears it.
 */
export const sessionCookie = (token: string | null, secure: boolean): string =>
  [`${SESSION_COOKIE}=${token ?? ''}`, 'Path=/v1', 'HttpOnly', 'SameSite=Strict', `Max-Age=${token ? SESSION_TTL_SEC : 0}`, ...(secure ? ['Secure'] : [])].join(
    '; ',
  );
