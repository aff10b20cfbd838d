/**
 * What an operator does to a recording after the fact: reprocess it (a failed or partial one
 * whose raw objects still exist); deleting is delete-recording.ts, expiry retention.ts. Each
 * refuses what would lose data or race a running job; a deleted recording is not found.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { TracksError } from '../errors.ts';
import { findJobByKey, requeueFinishedJob } from '../jobs/queue.ts';
import type { Stores } from '../storage/open-stores.ts';
import { recordingJobKey, RecordingJobPayload } from './recording-jobs.ts';
import { resetForReprocess } from './recording-states.ts';

const BUSY = new Set(['pending', 'processing', 'cleanup']);

/** Queues the recording's job again from its first attempt; the recording and transcript go back to pending with it. */
export const reprocessRecording = async (db: Kysely<Database>, stores: Stores, recordingId: string) => {
  const recording = await db.selectFrom('recordings').selectAll().where('id', '=', recordingId).executeTakeFirst();
  if (!recording || recording.status === 'deleted') throw new TracksError('NOT_FOUND', 'recording not found');
  if (BUSY.has(recording.status)) throw new TracksError('RECORDING_BUSY', `recording is ${recording.status}: its job is still at work`);
  const job = await findJobByKey(db, recordingJobKey({ platform: recording.platform, platformRecordingId: recording.platform_recording_id }));
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
    const requeued = await requeueFinishedJob(tx, job.id);
    if (!requeued) throw new TracksError('RECORDING_BUSY', 'its job is already queued or running');
    await resetForReprocess(tx, recordingId);
    return { jobId: requeued.id };
  });
};
