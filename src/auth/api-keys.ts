/**
 * API keys: random 256-bit tokens shown once; the database keeps only their SHA-256 (a token
 * has full entropy, so a fast hash is enough — no password hashing needed). Tokens carry a
 * `rt_` prefix so secret scanners and people can tell what they are.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Principal, Scope } from './principal.ts';

const TOKEN = /^rt_[A-Za-z0-9_-]{43}$/;

export const isApiKeyToken = (token: string): boolean => TOKEN.test(token);

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export type ApiKeyInfo = { id: string; name: string; scope: Scope; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };

const info = (row: { id: string; name: string; scope: Scope; created_at: Date; last_used_at: Date | null; revoked_at: Date | null }): ApiKeyInfo => ({
  id: row.id,
  name: row.name,
  scope: row.scope,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

/** Creates a key; the token in the answer is the only copy there will ever be. */
export const createApiKey = async (db: Kysely<Database>, input: { name: string; scope: Scope }): Promise<ApiKeyInfo & { token: string }> => {
  const token = `rt_${randomBytes(32).toString('base64url')}`;
  const row = await db
    .insertInto('api_keys')
    .values({ name: input.name, scope: input.scope, token_sha256: hashToken(token) })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ...info(row), token };
};

export const listApiKeys = async (db: Kysely<Database>): Promise<ApiKeyInfo[]> =>
  (await db.selectFrom('api_keys').selectAll().orderBy('created_at').execute()).map(info);

/** Revokes a key at once; false when there is no such (unrevoked) key. */
export const revokeApiKey = async (db: Kysely<Database>, id: string): Promise<boolean> => {
  const row = await db
    .updateTable('api_keys')
    .set({ revoked_at: sql`now()` })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return Boolean(row);
};

/**
 * Notes a key's use (by bearer or through a session made from it): `last_used_at` at minute
 * resolution, one write per key per minute, not one per request.
 */
export const touchApiKey = async (db: Kysely<Database>, id: string, lastUsedAt: Date | null): Promise<void> => {
  if (!lastUsedAt || Date.now() - lastUsedAt.getTime() > 60_000) {
    await db.updateTable('api_keys').set({ last_used_at: sql`now()` }).where('id', '=', id).execute();
  }
};

/** The principal behind a token, or null for an unknown or revoked one. */
export const principalOfApiKey = async (db: Kysely<Database>, token: string): Promise<Principal | null> => {
  if (!isApiKeyToken(token)) return null;
  const row = await db
    .selectFrom('api_keys')
    .select(['id', 'name', 'scope', 'last_used_at'])
    .where('token_sha256', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  await touchApiKey(db, row.id, row.last_used_at);
  return { kind: 'key', id: row.id, name: row.name, scope: row.scope, owner: `key:${row.id}` };
};
