/**
 * What an operator does to a recording after the fact: reprocess it (a failed or partial one
 * whose raw objects still exist), delete a transcript with its objects and rows, and expire old
 * transcripts (retention.ts). Each refuses what would lose data or race a running job.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { TracksError } from '../errors.ts';
import { RecordingJobPayload } from '../jobs/kinds.ts';
import type { Stores } from '../storage/open-stores.ts';

const jobKey = (recording: { platform: string; platform_recording_id: string }) => `${recording.platform}:${recording.platform_recording_id}`;
const BUSY = new Set(['pending', 'processing', 'cleanup']);

/** Queues the recording's job again from its first attempt; the recording and transcript go back to pending with it. */
export const reprocessRecording = async (db: Kysely<Database>, stores: Stores, recordingId: string) => {
  const recording = await db.selectFrom('recordings').selectAll().where('id', '=', recordingId).executeTakeFirst();
  if (!recording) throw new TracksError('NOT_FOUND', 'recording not found');
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
    await tx.updateTable('recordings').set({ status: 'pending', error: null, updated_at: sql`now()` }).where('id', '=', recordingId).execute();
    await tx
      .updateTable('transcripts')
      .set({ status: 'pending', error: null, status_changed_at: sql`now()` })
      .where('recording_id', '=', recordingId)
      .where('status', '!=', 'ready')
      .execute();
    return { jobId: requeued.id };
  });
};

/**
 * Deletes a transcript: its objects in the transcript bucket, then its rows and its recording's
 * (tracks and jobs too), and the recording's raw objects that are still in the platform bucket.
 * Refused while its recording is being processed.
 */
export const deleteTranscript = async (db: Kysely<Database>, stores: Stores, transcriptId: string): Promise<{ objects: number; rawObjects: number }> => {
  const transcript = await db.selectFrom('transcripts').selectAll().where('id', '=', transcriptId).executeTakeFirst();
  if (!transcript) throw new TracksError('NOT_FOUND', 'transcript not found');
  const recording = transcript.recording_id
    ? await db.selectFrom('recordings').selectAll().where('id', '=', transcript.recording_id).executeTakeFirst()
    : undefined;
  if (recording && BUSY.has(recording.status) && recording.status !== 'pending')
    throw new TracksError('RECORDING_BUSY', `recording is ${recording.status}: wait for its job to end`);
  let objects = 0;
  const keys: string[] = [];
  for await (const object of stores.transcripts.list(`${transcriptId}/`)) keys.push(object.key);
  for (const key of keys) {
    await stores.transcripts.delete(key);
    objects++;
  }
  let rawObjects = 0;
  const jobs = recording ? await db.selectFrom('jobs').select(['id', 'payload']).where('idempotency_key', '=', jobKey(recording)).execute() : [];
  for (const job of jobs) {
    const payload = RecordingJobPayload.safeParse(job.payload);
    if (!payload.success) continue;
    const store = payload.data.platform === 'daily' ? stores.daily : stores.whereby;
    for (const key of [...payload.data.objects.map((o) => o.key), ...payload.data.otherObjects]) {
      if (await store.head(key).catch(() => null)) {
        await store.delete(key);
        rawObjects++;
      }
    }
  }
  await db.transaction().execute(async (tx) => {
    if (jobs.length)
      await tx
        .deleteFrom('jobs')
        .where(
          'id',
          'in',
          jobs.map((j) => j.id),
        )
        .where('status', '!=', 'running')
        .execute();
    await tx.deleteFrom('transcripts').where('id', '=', transcriptId).execute();
    if (recording) await tx.deleteFrom('recordings').where('id', '=', recording.id).execute();
  });
  return { objects, rawObjects };
};
