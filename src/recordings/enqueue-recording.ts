/**
 * A recording found by a webhook, the poller or the queue becomes a job and — in the same
 * transaction — its `pending` recording and transcript rows, so what is waiting is visible from
 * the first moment (recording-states.ts). Keyed by the recording: every path that finds it again
 * finds the same job. A deleted recording is never enqueued again (`deleted: true`): its
 * tombstone is checked first, under a shared lock, so a deletion under way (which removes the job
 * row) is waited for and then seen.
 */
import type { Kysely } from 'kysely';
import type { Database, Job } from '../db/schema.ts';
import { RecordingJobPayload } from '../jobs/kinds.ts';
import { enqueueJob } from '../jobs/queue.ts';
import { ensureRecordingRows, isDeletedRecording } from './recording-states.ts';

export type EnqueueResult = { job: Job; created: boolean; deleted: false } | { job: null; created: false; deleted: true };

export const enqueueRecording = async (
  db: Kysely<Database>,
  kind: string,
  payload: RecordingJobPayload,
  options: { idempotencyKey: string; maxAttempts?: number },
): Promise<EnqueueResult> => {
  const parsed = RecordingJobPayload.parse(payload);
  const run = async (tx: Kysely<Database>): Promise<EnqueueResult> => {
    if (await isDeletedRecording(tx, parsed, true)) return { job: null, created: false, deleted: true };
    const result = await enqueueJob(tx, kind, parsed, options);
    if (result.created) await ensureRecordingRows(tx, parsed);
    return { ...result, deleted: false };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
};
