/**
 * The initial schema. Statuses are text with check constraints (readable in psql, extendable
 * without enum migrations); every lookup the code does has an index.
 */
import type { Kysely } from 'kysely';
import { runStatements } from './statements.ts';

export const up = async (db: Kysely<unknown>): Promise<void> => {
  await runStatements(
    db,
    `
    create table meetings (
      id uuid primary key default gen_random_uuid(),
      platform text not null check (platform in ('daily', 'whereby')),
      room_name text not null,
      platform_meeting_id text,
      platform_session_id text,
      room_url text,
      start_at timestamptz,
      end_at timestamptz,
      origin text not null check (origin in ('api', 'discovered')),
      created_at timestamptz not null default now()
    );
    create index meetings_room_start on meetings (platform, room_name, start_at);
    create index meetings_created on meetings (created_at desc);
    create unique index meetings_platform_meeting on meetings (platform, platform_meeting_id) where platform_meeting_id is not null;

    create table recordings (
      id uuid primary key default gen_random_uuid(),
      meeting_id uuid references meetings (id) on delete set null,
      platform text not null check (platform in ('daily', 'whereby')),
      platform_recording_id text not null,
      bucket text not null,
      object_keys jsonb not null default '[]',
      status text not null default 'pending' check (status in ('pending', 'processing', 'processed', 'failed')),
      start_at timestamptz,
      duration_ms int8,
      error text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (platform, platform_recording_id)
    );
    create index recordings_meeting on recordings (meeting_id);
    create index recordings_status on recordings (status);

    create table tracks (
      id uuid primary key default gen_random_uuid(),
      recording_id uuid not null references recordings (id) on delete cascade,
      participant_id text,
      object_key text not null,
      kind text not null default 'audio' check (kind in ('audio')),
      screen_share boolean not null default false,
      offset_ms int8,
      filename_offset_ms int8,
      duration_ms int8,
      gaps jsonb not null default '[]',
      status text not null default 'pending' check (status in ('pending', 'rendered', 'failed', 'skipped')),
      created_at timestamptz not null default now(),
      unique (recording_id, object_key)
    );
    create index tracks_participant on tracks (participant_id);

    create table participants (
      id uuid primary key default gen_random_uuid(),
      meeting_id uuid not null references meetings (id) on delete cascade,
      platform_participant_id text not null,
      platform_session_id text,
      display_name text,
      joined_at timestamptz,
      left_at timestamptz
    );
    create unique index participants_identity on participants (meeting_id, platform_participant_id, coalesce(platform_session_id, ''));
    create index participants_platform_id on participants (platform_participant_id);

    create table transcripts (
      id uuid primary key default gen_random_uuid(),
      recording_id uuid references recordings (id) on delete set null,
      meeting_id uuid references meetings (id) on delete set null,
      audio_key text,
      duration_ms int8,
      status text not null default 'pending' check (status in ('pending', 'processing', 'ready', 'failed')),
      status_changed_at timestamptz not null default now(),
      error text,
      created_at timestamptz not null default now()
    );
    -- One transcript per recording: a duplicate event after processing cannot make a second.
    create unique index transcripts_recording on transcripts (recording_id) where recording_id is not null;
    create index transcripts_meeting on transcripts (meeting_id);

    create table webhook_events (
      id uuid primary key default gen_random_uuid(),
      platform text not null check (platform in ('daily', 'whereby')),
      event_id text not null,
      type text not null,
      received_at timestamptz not null default now(),
      payload jsonb not null,
      status text not null default 'received' check (status in ('received', 'processed', 'ignored', 'invalid')),
      error text,
      unique (platform, event_id)
    );

    create table jobs (
      id bigserial primary key,
      kind text not null,
      idempotency_key text unique,
      payload jsonb not null default '{}',
      status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
      attempts int4 not null default 0,
      max_attempts int4 not null check (max_attempts > 0),
      run_at timestamptz not null default now(),
      locked_by text,
      locked_until timestamptz,
      last_error text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      finished_at timestamptz
    );
    -- The claim query: runnable queued jobs by time, and running jobs whose lease ran out.
    create index jobs_runnable on jobs (run_at, id) where status = 'queued';
    create index jobs_leases on jobs (locked_until) where status = 'running';
    create index jobs_kind_status on jobs (kind, status);
    create index jobs_status on jobs (status);
  `,
  );
};

export const down = async (db: Kysely<unknown>): Promise<void> => {
  await runStatements(db, `drop table jobs, webhook_events, transcripts, participants, tracks, recordings, meetings`);
};
