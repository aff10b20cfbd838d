/**
 * A recording found by a webhook, the poller or the queue becomes a job and — in the same
 * transaction — its `pending` recording and transcript rows, so what is waiting is visible from
 * the first moment (recording-rows.ts). Keyed by the recording (`recordingJobKey`): every path
 * that finds it again finds the same job; the job row carries the recording's uuid. A deleted
 * recording is never enqueued again (`deleted: true`): its tombstone is checked first, under a
 * shared lock, so a deletion under way (which removes the job row) is waited for and then seen.
 */
import type { Kysely } from 'kysely';
import type { Database, Job } from '../db/schema.ts';
import { enqueueJob } from '../jobs/queue.ts';
import { recordingJobKey, RecordingJobPayload } from './recording-jobs.ts';
import { ensureRecordingRows, lockRecordingOf } from './recording-rows.ts';

export type EnqueueResult = { job: Job; created: boolean; deleted: false } | { job: null; created: false; deleted: true };

export const enqueueRecording = async (
  db: Kysely<Database>,
  kind: string,
  payload: RecordingJobPayload,
  options: { maxAttempts?: number } = {},
): Promise<EnqueueResult> => {
  const parsed = RecordingJobPayload.parse(payload);
  const run = async (tx: Kysely<Database>): Promise<EnqueueResult> => {
    const known = await lockRecordingOf(tx, parsed);
    if (known?.status === 'deleted') return { job: null, created: false, deleted: true };
    // The rows before the job (which carries the recording's uuid); a recording seen before has them.
    const recordingId = known?.id ?? (await ensureRecordingRows(tx, parsed)).recording.id;
    const result = await enqueueJob(tx, kind, parsed, { ...options, idempotencyKey: recordingJobKey(parsed), recordingId });
    if (known && result.created) await ensureRecordingRows(tx, parsed, recordingId);
    return { ...result, deleted: false };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
};
