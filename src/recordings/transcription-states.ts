/**
 * The words' state machine, beside the audio's (recording-states.ts), committed with its job's
 * rows like the other one:
 *
 * | event                                            | job              | transcription_status |
 * |--------------------------------------------------|------------------|----------------------|
 * | audio committed with a transcriber configured,   | queued           | pending              |
 * |   or POST /v1/transcripts/:id/transcribe         |                  |                      |
 * | claimed                                          | running          | running              |
 * | failed, attempts left (or released at stop)      | queued (backoff) | pending (+ error)    |
 * | failed for good                                  | failed           | failed (+ error)     |
 * | words stored, verified and committed             | succeeded        | ready                |
 * | transcript deleted (delete-recording.ts)         | (removed)        | (row removed)        |
 *
 * The audio (`status`, `audio_key`) and the raw-deletion rules never depend on it.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, TranscriptionStatus } from '../db/schema.ts';
import { TRANSCRIBE_RECORDING, TranscribeJobPayload, type TranscribeJob } from './recording-jobs.ts';
import { enqueueJob } from '../jobs/queue.ts';
import type { KindHooks } from '../jobs/job-kind.ts';

type Db = Kysely<Database> | Transaction<Database>;

const setStatus = (db: Db, transcriptId: string, status: TranscriptionStatus, error: string | null) =>
  db
    .updateTable('transcripts')
    .set({ transcription_status: status, transcription_error: error, transcription_changed_at: sql`now()` })
    .where('id', '=', transcriptId)
    .execute();

/** Queues the transcription of a transcript whose audio is ready; returns the job id. */
export const requestTranscription = async (db: Db, transcriptId: string, maxAttempts: number): Promise<number> => {
  const { job } = await enqueueJob(db, TRANSCRIBE_RECORDING, { transcriptId }, { maxAttempts });
  await setStatus(db, transcriptId, 'pending', null);
  return job.id;
};

export const transcriptionHooks: KindHooks<TranscribeJob> = {
  payload: TranscribeJobPayload,
  onClaim: (tx, _job, payload) => setStatus(tx, payload.transcriptId, 'running', null).then(() => {}),
  settle: (tx, _job, payload, state, error) => setStatus(tx, payload.transcriptId, state === 'retrying' ? 'pending' : 'failed', error).then(() => {}),
};

/** The words are stored and verified: committed with the job's success (transcribe-recording.ts). */
export const markWordsReady = async (
  tx: Transaction<Database>,
  transcriptId: string,
  words: { language: string | null; segments: unknown; wordCount: number },
) => {
  await tx
    .updateTable('transcripts')
    .set({
      transcription_status: 'ready',
      transcription_error: null,
      transcription_changed_at: sql`now()`,
      language: words.language,
      segments: JSON.stringify(words.segments),
      word_count: words.wordCount,
    })
    .where('id', '=', transcriptId)
    .execute();
};

/** Whether the transcript still exists, waiting for a deletion under way to commit or roll back. */
export const transcriptExists = async (db: Kysely<Database>, transcriptId: string): Promise<boolean> =>
  db.transaction().execute(async (tx) => Boolean(await tx.selectFrom('transcripts').select('id').where('id', '=', transcriptId).forShare().executeTakeFirst()));
