/**
 * Access control and hostile input (issue 11): API keys stored as hashes, meeting ownership,
 * and the raw bytes of webhook deliveries whose strings PostgreSQL cannot hold as sent.
 * Columns are added, never renamed (operators' queries keep working).
 */
import type { Kysely } from 'kysely';
import { runStatements } from './statements.ts';

export const up = async (db: Kysely<unknown>): Promise<void> => {
  await runStatements(
    db,
    `
    create table api_keys (
      id uuid primary key default gen_random_uuid(),
      name text not null check (length(name) between 1 and 100),
      scope text not null check (scope in ('read', 'write', 'admin')),
      -- sha256 of the token, hex: the token itself is shown once and never stored.
      token_sha256 text not null unique,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );

    -- Who may read a meeting and what came of it: 'key:<api key id>' or 'user:<OIDC subject>';
    -- null for meetings discovered from recordings of rooms nobody created (admins only).
    alter table meetings add column owner text;
    create index meetings_owner on meetings (owner, created_at desc);

    -- Deliveries whose strings had to be sanitized (NUL, lone surrogates) or were too deep to
    -- store keep their exact bytes here; every delivery keeps the hash of its body.
    alter table webhook_events add column body_sha256 text;
    alter table webhook_events add column raw_body bytea;
  `,
  );
};

export const down = async (db: Kysely<unknown>): Promise<void> => {
  await runStatements(
    db,
    `
    alter table webhook_events drop column raw_body, drop column body_sha256;
    drop index meetings_owner;
    alter table meetings drop column owner;
    drop table api_keys;
  `,
  );
};
