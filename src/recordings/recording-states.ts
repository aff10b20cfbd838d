/**
 * The one state machine of a recording, its transcript and its processing job; with the other
 * state modules (below) the only writer of their rows (`recordings`, `transcripts`, `tracks`; the
 * words' columns are transcription-states.ts'): test/structure/state-writes.test.ts holds it. Every transition
 * commits in the same transaction as the job row that causes it (jobs/lease.ts), except the
 * outputs' commit, which happens while the job runs (guarded by its lease): from then on the
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
 * | deleted (job neither queued nor running)       | (row removed)     | deleted     | (row removed)         |
 *
 * "(or ready)": a transcript that is ready stays ready (its outputs exist) when its recording is
 * reprocessed. A retry of a job whose recording is `cleanup` only deletes what `raw_pending`
 * lists. Tracks that could not be used keep their raw objects and say why (`tracks.status`
 * skipped/failed, `tracks.error`). `deleted` is final: a tombstone of ids, platform ids and
 * timestamps that no transition leaves and that every enqueuer checks first (enqueue-recording.ts),
 * so the recording announced again is never processed again (delete-recording.ts).
 *
 * The rows' first sight is recording-rows.ts, the tombstone's writes deletion-states.ts: with this
 * module and transcription-states.ts, the state modules.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, Job, NewTrack, Recording, RecordingStatus, TrackStatus, TranscriptStatus } from '../db/schema.ts';
import { TracksError } from '../errors.ts';
import { RecordingJobPayload, type RecordingJob } from './recording-jobs.ts';
import { holdsLease } from '../jobs/lease.ts';
import type { KindHooks } from '../jobs/job-kind.ts';
import { ensureRecordingRows } from './recording-rows.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The status of a job's recording, by the uuid its row carries (else by the payload's platform ids, creating its rows). */
const recordingOfJob = async (db: Db, job: Job, payload: RecordingJob): Promise<Pick<Recording, 'id' | 'status'>> =>
  (job.recording_id && (await db.selectFrom('recordings').select(['id', 'status']).where('id', '=', job.recording_id).executeTakeFirst())) ||
  (await ensureRecordingRows(db, payload)).recording;

const setStates = async (db: Db, recordingId: string, recording: RecordingStatus, transcript: TranscriptStatus | null, error: string | null) => {
  await db
    .updateTable('recordings')
    .set({ status: recording, error, updated_at: sql`now()` })
    .where('id', '=', recordingId)
    .where('status', '!=', 'deleted')
    .execute();
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

/** Hooks of the processing job kinds: the recording follows its job (a tombstone stays as it is). */
export const processingHooks: KindHooks<RecordingJob> = {
  payload: RecordingJobPayload,
  onClaim: async (tx, job, payload) => {
    const recording = await recordingOfJob(tx, job, payload);
    // `cleanup`: the outputs are committed; this run only deletes the raw objects.
    if (recording.status === 'pending' || recording.status === 'failed' || recording.status === 'processing')
      await setStates(tx, recording.id, 'processing', 'processing', null);
  },
  settle: async (tx, job, payload, state, error) => {
    const recording = await recordingOfJob(tx, job, payload);
    if (recording.status === 'processed' || recording.status === 'deleted') return; // a duplicate job of a finished recording
    if (recording.status === 'cleanup') {
      const message = `outputs stored; deleting the raw objects failed: ${error}`;
      await setStates(tx, recording.id, state === 'retrying' ? 'cleanup' : 'failed', null, message);
      return;
    }
    if (state === 'retrying') await setStates(tx, recording.id, 'pending', 'pending', error);
    else await setStates(tx, recording.id, 'failed', 'failed', error);
  },
};

/** A track row of the outputs' commit: `output` false for a track that produced none, `skipped` for one the pipeline refused. */
export type TrackOutcome = Omit<NewTrack, 'recording_id' | 'status' | 'error'> & ({ output: boolean } | { skipped: string });

/**
 * Step 1's commit (process-recording.ts): the tracks, the transcript `ready` with its audio, the
 * recording `cleanup` with the raw objects to delete. Only the lease holder commits, and never
 * over a tombstone: a recording deleted while this worker (having lost its lease) still worked
 * answers `deleted`, and the caller discards the outputs it stored — the deletion may have listed
 * the transcript's folder before they were there. Locks the job, then the recording (the claim's
 * order, so the two never deadlock).
 */
export const commitOutputs = async (
  tx: Transaction<Database>,
  lease: { job: { id: number }; workerId: string },
  c: { recordingId: string; transcriptId: string; tracks: readonly TrackOutcome[]; durationMs: number; rawPending: string[]; audioKey: string },
): Promise<'committed' | 'deleted'> => {
  const held = await holdsLease(tx, lease.job, lease.workerId);
  const row = await tx.selectFrom('recordings').select('status').where('id', '=', c.recordingId).forUpdate().executeTakeFirst();
  if (!row || row.status === 'deleted') return 'deleted';
  if (!held) throw new TracksError('JOB_LEASE_LOST', 'the job lease was lost before the outputs were committed');
  await tx.deleteFrom('tracks').where('recording_id', '=', c.recordingId).execute();
  const rows = c.tracks.map((outcome) => {
    const { output, skipped, ...track } = outcome as TrackOutcome & { output?: boolean; skipped?: string };
    const status: TrackStatus = skipped !== undefined ? 'skipped' : output ? 'rendered' : 'failed';
    return { ...track, recording_id: c.recordingId, status, error: skipped ?? (output ? null : 'no output was produced') };
  });
  if (rows.length) await tx.insertInto('tracks').values(rows).execute();
  await tx
    .updateTable('transcripts')
    .set({ status: 'ready', audio_key: c.audioKey, duration_ms: Math.round(c.durationMs), status_changed_at: sql`now()`, error: null })
    .where('id', '=', c.transcriptId)
    .execute();
  await tx
    .updateTable('recordings')
    .set({ status: 'cleanup', raw_pending: JSON.stringify(c.rawPending), duration_ms: Math.round(c.durationMs), error: null, updated_at: sql`now()` })
    .where('id', '=', c.recordingId)
    .execute();
  return 'committed';
};

/** Step 2's end, committed with the job's success: the raw objects are gone (or were none to delete). */
export const markProcessed = async (tx: Transaction<Database>, recordingId: string, rawDeleted: boolean) => {
  await tx
    .updateTable('recordings')
    .set({ status: 'processed', error: null, raw_pending: null, ...(rawDeleted ? { raw_deleted_at: sql`now()` } : {}), updated_at: sql`now()` })
    .where('id', '=', recordingId)
    .where('status', '!=', 'deleted')
    .execute();
};

/**
 * Reprocessing, with the job queued again in the same transaction (operator-actions.ts): back to
 * pending. A recording deleted since the caller looked is not found (and the requeue rolls back).
 */
export const resetForReprocess = async (tx: Transaction<Database>, recordingId: string) => {
  const reset = await tx
    .updateTable('recordings')
    .set({ status: 'pending', error: null, updated_at: sql`now()` })
    .where('id', '=', recordingId)
    .where('status', '!=', 'deleted')
    .returning('id')
    .executeTakeFirst();
  if (!reset) throw new TracksError('NOT_FOUND', 'recording not found');
  await tx
    .updateTable('transcripts')
    .set({ status: 'pending', error: null, status_changed_at: sql`now()` })
    .where('recording_id', '=', recordingId)
    .where('status', '!=', 'ready')
    .execute();
};
