/**
 * Browser sessions of the operator view (issue 30): an API key exchanged for an HttpOnly cookie,
 * so the inspector page never holds a bearer token. A session lives only as long as its key: it
 * is authenticated through a join on an unrevoked `api_keys` row, and removed with the key.
 * Signing out deletes the row.
 */
import type { Kysely } from 'kysely';
import { runStatements } from './statements.ts';

export const up = async (db: Kysely<unknown>): Promise<void> => {
  await runStatements(
    db,
    `
    create table sessions (
      id uuid primary key default gen_random_uuid(),
      -- sha256 of the cookie's token, hex: the token itself is only in the browser's cookie.
      token_sha256 text not null unique,
      api_key_id uuid not null references api_keys (id) on delete cascade,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
    create index sessions_expires on sessions (expires_at);
  `,
  );
};

export const down = async (db: Kysely<unknown>): Promise<void> => {
  await runStatements(db, 'drop table sessions;');
};
