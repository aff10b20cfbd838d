/**
 * One state machine for jobs, recordings and transcripts (issue 12). Added, never renamed:
 * - recordings: `cleanup` (outputs stored and committed; the raw objects in `raw_pending` still to
 *   delete), and the time the raw objects went;
 * - tracks: the reason a track was skipped or failed; the participant's name from Daily's event JSON; `end_ms` for the track's end in meeting
 *   time, which `duration_ms` held until now — `duration_ms` becomes the length (end − offset);
 * - transcripts: nothing new (its states already cover the machine).
 */
import type { Kysely } from 'kysely';
import { runStatements } from './statements.ts';

export const up = async (db: Kysely<unknown>): Promise<void> => {
  await runStatements(
    db,
    `
    alter table recordings drop constraint recordings_status_check;
    alter table recordings add constraint recordings_status_check check (status in ('pending', 'processing', 'cleanup', 'processed', 'failed'));
    alter table recordings add column raw_deleted_at timestamptz;
    alter table recordings add column raw_pending jsonb;
    alter table tracks add column error text;
    alter table tracks add column end_ms int8;
    alter table tracks add column display_name text;
    update tracks set end_ms = duration_ms, duration_ms = duration_ms - coalesce(offset_ms, 0) where duration_ms is not null;
    create index transcripts_created on transcripts (created_at);
  `,
  );
};

export const down = async (db: Kysely<unknown>): Promise<void> => {
  await runStatements(
    db,
    `
    drop index transcripts_created;
    update tracks set duration_ms = end_ms where end_ms is not null;
    alter table tracks drop column end_ms;
    alter table tracks drop column display_name;
    alter table tracks drop column error;
    alter table recordings drop column raw_pending;
    alter table recordings drop column raw_deleted_at;
    alter table recordings drop constraint recordings_status_check;
    alter table recordings add constraint recordings_status_check check (status in ('pending', 'processing', 'processed', 'failed'));
  `,
  );
};
