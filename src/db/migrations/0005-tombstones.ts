/**
 * Deleted means deleted (issue 24): a deleted recording keeps a tombstone, its `recordings` row in
 * status `deleted`, so the same recording announced again (a redelivery, a new event, the poller)
 * is recognised and never processed again. Added, never renamed:
 * - recordings: status `deleted`; `bucket` may be null (a tombstone keeps only ids, platform ids
 *   and timestamps); when it was deleted; `purge_pending`, what object storage still holds of it
 *   (`{ transcriptIds, rawKeys }`, null once removed), so a failed removal is finished later;
 * - webhook_events: Daily's events are found by the recording they name, to scrub their payloads.
 */
import type { Kysely } from 'kysely';
import { runStatements } from './statements.ts';

export const up = async (db: Kysely<unknown>): Promise<void> => {
  await runStatements(
    db,
    `
    alter table recordings drop constraint recordings_status_check;
    alter table recordings add constraint recordings_status_check check (status in ('pending', 'processing', 'cleanup', 'processed', 'failed', 'deleted'));
    alter table recordings alter column bucket drop not null;
    alter table recordings add column deleted_at timestamptz;
    alter table recordings add column purge_pending jsonb;
    create index recordings_purge_pending on recordings (updated_at) where purge_pending is not null;
    create index webhook_events_daily_recording on webhook_events ((payload -> 'payload' ->> 'recording_id')) where platform = 'daily';
  `,
  );
};

export const down = async (db: Kysely<unknown>): Promise<void> => {
  await runStatements(
    db,
    `
    drop index webhook_events_daily_recording;
    drop index recordings_purge_pending;
    delete from recordings where status = 'deleted';
    alter table recordings drop column purge_pending;
    alter table recordings drop column deleted_at;
    update recordings set bucket = '' where bucket is null;
    alter table recordings alter column bucket set not null;
    alter table recordings drop constraint recordings_status_check;
    alter table recordings add constraint recordings_status_check check (status in ('pending', 'processing', 'cleanup', 'processed', 'failed'));
  `,
  );
};
