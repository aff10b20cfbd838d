/**
 * A processing job carries its recording's uuid (issue 27): its claim, settle and run find the
 * recording by primary key instead of by `(platform, platform_recording_id)` from the payload.
 * Added, never renamed:
 * - jobs: `recording_id`, the recording a processing job stands for (null for other jobs), set by
 *   the enqueuer (recordings/enqueue-recording.ts); existing processing jobs are backfilled from
 *   their payload's platform ids (src/recordings/recording-jobs.ts).
 */
import type { Kysely } from 'kysely';
import { runStatements } from './statements.ts';

export const up = async (db: Kysely<unknown>): Promise<void> => {
  await runStatements(
    db,
    `
    alter table jobs add column recording_id uuid references recordings (id) on delete set null;
    create index jobs_recording on jobs (recording_id) where recording_id is not null;
    update jobs set recording_id = recordings.id from recordings
      where jobs.kind in ('process_multitrack_recording', 'process_recording')
        and recordings.platform = jobs.payload ->> 'platform'
        and recordings.platform_recording_id = jobs.payload ->> 'platformRecordingId';
  `,
  );
};

export const down = async (db: Kysely<unknown>): Promise<void> => {
  await runStatements(
    db,
    `
    drop index jobs_recording;
    alter table jobs drop column recording_id;
  `,
  );
};
