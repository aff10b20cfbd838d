/**
 * What an operator does to a recording after the fact: reprocess it (a failed or partial one
 * whose raw objects still exist); deleting is delete-recording.ts, expiry retention.ts. Each
 * refuses what would lose data or race a running job; a deleted recording is not found.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { TracksError } from '../errors.ts';
import { RecordingJobPayload } from '../jobs/kinds.ts';
import type { Stores } from '../storage/open-stores.ts';
import { resetForReprocess } from './recording-states.ts';

const jobKey = (recording: { platform: string; platform_recording_id: string }) => `${recording.platform}:${recording.platform_recording_id}`;
const BUSY = new Set(['pending', 'processing', 'cleanup']);

/** Queues the recording's job again from its first attempt; the recording and transcript go back to pending with it. */
export const reprocessRecording = async (db: Kysely<Database>, stores: Stores, recordingId: string) => {
  const recording = await db.selectFrom('recordings').selectAll().where('id', '=', recordingId).executeTakeFirst();
  if (!recording || recording.status === 'deleted') throw new TracksError('NOT_FOUND', 'recording not found');
  if (BUSY.has(recording.status)) throw new TracksError('RECORDING_BUSY', `recording is ${recording.status}: its job is still at work`);
  const job = await db.selectFrom('jobs').selectAll().where('idempotency_key', '=', jobKey(recording)).executeTakeFirst();
  const payload = job && RecordingJobPayload.safeParse(job.payload);
  if (!job || !payload?.success) throw new TracksError('RECORDING_NOTHING_TO_DO', 'this recording has no processing job to run again');
  const skipped = await db.selectFrom('tracks').select('id').where('recording_id', '=', recordingId).where('status', 'in', ['skipped', 'failed']).execute();
  if (recording.status === 'processed' && skipped.length === 0)
    throw new TracksError('RECORDING_NOTHING_TO_DO', 'recording is processed with every track: nothing to reprocess');
  const store = payload.data.platform === 'daily' ? stores.daily : stores.whereby;
  const missing: string[] = [];
  for (const object of payload.data.objects) if (!(await store.head(object.key))) missing.push(object.key);
  if (missing.length)
    throw new TracksError(
      'RECORDING_RAW_GONE',
      `raw objects no longer exist (${missing.length} of ${payload.data.objects.length}, e.g. ${missing[0]}): reprocessing needs all of them`,
    );
  return db.transaction().execute(async (tx) => {
    const requeued = await tx
      .updateTable('jobs')
      .set({
        status: 'queued',
        attempts: 0,
        run_at: sql`now()`,
        last_error: null,
        finished_at: null,
        locked_by: null,
        locked_until: null,
        updated_at: sql`now()`,
      })
      .where('id', '=', job.id)
      .where('status', 'in', ['failed', 'succeeded'])
      .returningAll()
      .executeTakeFirst();
    if (!requeued) throw new TracksError('RECORDING_BUSY', 'its job is already queued or running');
    await resetForReprocess(tx, recordingId);
    return { jobId: requeued.id };
  });
};
