/**
 * The one state machine of a recording, its transcript and its processing job. Every transition
 * below commits in the same transaction as the job row that causes it (jobs/queue.ts), except
 * the outputs' commit, which happens while the job runs (guarded by its lease): from then on the
 * recording is `cleanup` until the same job has deleted the raw objects and succeeds.
 *
 * | event                                          | job               | recording   | transcript            |
 * |------------------------------------------------|-------------------|-------------|-----------------------|
 * | enqueued (webhook, poller, queue, reprocess)   | queued            | pending     | pending (or ready)    |
 * | claimed                                        | running           | processing  | processing (or ready) |
 * | failed, attempts left (or released at stop)    | queued (backoff)  | pending     | pending (or ready)    |
 * | failed for good, a permanent error, or its     | failed            | failed      | failed (or ready)     |
 * |   worker died on its last attempt              |                   |             |                       |
 * | outputs stored, verified and committed         | running           | cleanup     | ready                 |
 * | raw objects deleted: the job succeeds          | succeeded         | processed   | ready                 |
 * | cleanup failed, attempts left                  | queued (backoff)  | cleanup     | ready                 |
 * | cleanup failed for good                        | failed            | failed      | ready                 |
 *
 * "(or ready)": a transcript that is ready stays ready (its outputs exist) when its recording is
 * reprocessed. A retry of a job whose recording is `cleanup` only deletes what `raw_pending`
 * lists. Tracks that could not be used keep their raw objects and say why (`tracks.status`
 * skipped/failed, `tracks.error`).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, RecordingStatus, TranscriptStatus } from '../db/schema.ts';
import { RecordingJobPayload, type RecordingJob } from '../jobs/kinds.ts';
import type { JobHooks } from '../jobs/queue.ts';
import { ensureTranscript, findOrCreateMeeting, upsertRecording } from './meetings.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The recording, meeting and transcript rows a recording job stands for (created on first sight). */
export const ensureRecordingRows = async (db: Db, payload: RecordingJob) => {
  // Usually the enqueuer created them: one lookup, no meeting matching on every claim and settle.
  const existing = await db
    .selectFrom('recordings')
    .selectAll()
    .where('platform', '=', payload.platform)
    .where('platform_recording_id', '=', payload.platformRecordingId)
    .executeTakeFirst();
  if (existing) return { recording: existing, transcript: await ensureTranscript(db, existing) };
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

/** Hooks of the processing job kinds: the recording follows its job. */
export const processingHooks: JobHooks = {
  onClaim: async (tx, job) => {
    const payload = RecordingJobPayload.safeParse(job.payload);
    if (!payload.success) return; // the run fails it, permanently
    const { recording } = await ensureRecordingRows(tx, payload.data);
    // `cleanup`: the outputs are committed; this run only deletes the raw objects.
    if (recording.status !== 'processed' && recording.status !== 'cleanup') await setStates(tx, recording.id, 'processing', 'processing', null);
  },
  settle: async (tx, job, state, error) => {
    const payload = RecordingJobPayload.safeParse(job.payload);
    if (!payload.success) return;
    const { recording } = await ensureRecordingRows(tx, payload.data);
    if (recording.status === 'processed') return; // a duplicate job of a finished recording
    if (recording.status === 'cleanup') {
      const message = `outputs stored; deleting the raw objects failed: ${error}`;
      await setStates(tx, recording.id, state === 'retrying' ? 'cleanup' : 'failed', null, message);
      return;
    }
    if (state === 'retrying') await setStates(tx, recording.id, 'pending', 'pending', error);
    else await setStates(tx, recording.id, 'failed', 'failed', error);
  },
};
