/**
 * A recording found by a webhook, the poller or the queue becomes a job and — in the same
 * transaction — its `pending` recording and transcript rows, so what is waiting is visible from
 * the first moment (recording-states.ts). Keyed by the recording: every path that finds it again
 * finds the same job.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { RecordingJobPayload } from '../jobs/kinds.ts';
import { enqueueJob } from '../jobs/queue.ts';
import { ensureRecordingRows } from './recording-states.ts';

export const enqueueRecording = async (
  db: Kysely<Database>,
  kind: string,
  payload: RecordingJobPayload,
  options: { idempotencyKey: string; maxAttempts?: number },
) => {
  const parsed = RecordingJobPayload.parse(payload);
  const run = async (tx: Kysely<Database>) => {
    const result = await enqueueJob(tx, kind, parsed, options);
    if (result.created) await ensureRecordingRows(tx, parsed);
    return result;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
};
