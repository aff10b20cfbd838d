/**
 * The one state machine of a recording, its transcript and its jobs. Every transition below
 * commits in the same transaction as the job row that causes it (jobs/queue.ts), so the
 * database never shows a job and its recording disagree.
 *
 * | event (job)                                   | job                 | recording    | transcript            |
 * |-----------------------------------------------|---------------------|--------------|-----------------------|
 * | enqueued (webhook, poller, queue, reprocess)  | queued              | pending      | pending (or ready)    |
 * | claimed                                       | running             | processing   | processing (or ready) |
 * | failed, attempts left (or released at stop)   | queued (backoff)    | pending      | pending (or ready)    |
 * | failed for good / permanent error / worker    | failed              | failed       | failed (or ready)     |
 * |   died on its last attempt                    |                     |              |                       |
 * | outputs stored and verified                   | succeeded           | cleanup      | ready                 |
 * |   (+ a delete_raw_objects job, queued)        |                     | (processed if nothing to delete) |  |
 * | delete_raw_objects claimed / retried          | running / queued    | cleanup      | ready                 |
 * | raw objects deleted                           | succeeded           | processed    | ready                 |
 * | delete_raw_objects failed for good            | failed              | failed       | ready                 |
 *
 * "(or ready)": a transcript that is ready stays ready (its outputs exist) when its recording is
 * reprocessed or its cleanup fails. Tracks that could not be used keep their raw objects and
 * say why (`tracks.status` skipped/failed, `tracks.error`).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, Job, RecordingStatus, TranscriptStatus } from '../db/schema.ts';
import { DeleteRawPayload, RecordingJobPayload, type RecordingJob } from '../jobs/kinds.ts';
import type { JobHooks } from '../jobs/queue.ts';
import { ensureTranscript, findOrCreateMeeting, upsertRecording } from './meetings.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The recording, meeting and transcript rows a recording job stands for (created on first sight). */
export const ensureRecordingRows = async (db: Db, payload: RecordingJob) => {
  const startAt = payload.recordingStartMs === null ? null : new Date(payload.recordingStartMs);
  const meetingId = await findOrCreateMeeting(db, payload.platform, payload.roomName, startAt);
  const recording = await upsertRecording(db, {
    platform: payload.platform,
    platformRecordingId: payload.platformRecordingId,
    bucket: payload.bucket,
    objectKeys: payload.objects.map((o) => o.key),
    meetingId,
    startAt,
  });
  const transcript = await ensureTranscript(db, recording);
  return { recording, transcript };
};

const setStates = async (db: Db, recordingId: string, recording: RecordingStatus, transcript: TranscriptStatus | null, error: string | null) => {
  await db.updateTable('recordings').set({ status: recording, error, updated_at: sql`now()` }).where('id', '=', recordingId).execute();
  if (transcript) {
    // A ready transcript stays ready: its outputs exist until they are replaced.
    await db
      .updateTable('transcripts')
      .set({ status: transcript, error: transcript === 'failed' ? error : null, status_changed_at: sql`now()` })
      .where('recording_id', '=', recordingId)
      .where('status', '!=', 'ready')
      .execute();
  }
};

/** A recording whose outputs are committed: a second job for it (a duplicate under another key) leaves it alone. */
export const isDone = (status: RecordingStatus) => status === 'cleanup' || status === 'processed';

/** Hooks of the processing job kinds: the recording follows its job. */
export const processingHooks: JobHooks = {
  onClaim: async (tx, job) => {
    const payload = RecordingJobPayload.safeParse(job.payload);
    if (!payload.success) return; // the run fails it, permanently
    const { recording } = await ensureRecordingRows(tx, payload.data);
    if (!isDone(recording.status)) await setStates(tx, recording.id, 'processing', 'processing', null);
  },
  settle: async (tx, job, state, error) => {
    const payload = RecordingJobPayload.safeParse(job.payload);
    if (!payload.success) return;
    const { recording } = await ensureRecordingRows(tx, payload.data);
    if (isDone(recording.status)) return;
    if (state === 'retrying') await setStates(tx, recording.id, 'pending', 'pending', error);
    else await setStates(tx, recording.id, 'failed', 'failed', error);
  },
};

/** Hooks of the raw-deletion job: outputs exist, so the transcript is never touched. */
export const deleteRawHooks: JobHooks = {
  settle: async (tx, job: Job, state, error) => {
    const payload = DeleteRawPayload.safeParse(job.payload);
    if (!payload.success) return;
    const message = `outputs stored; deleting the raw objects failed: ${error}`;
    await setStates(tx, payload.data.recordingId, state === 'retrying' ? 'cleanup' : 'failed', null, message);
  },
};
