/**
 * The deletion's states (delete-recording.ts decides, under its locks): a recording becomes its
 * tombstone, a transcript without a recording goes, and the tombstone stops listing what object
 * storage held once that is gone. One of the state modules (recording-states.ts has the state
 * machine; test/structure/state-writes.test.ts).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, PurgePending } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The recording becomes its tombstone: status `deleted`, only ids, platform ids and timestamps
 * kept, and what object storage still holds of it in `purge_pending` (removed after the commit,
 * delete-recording.ts); its tracks and transcripts (words and segments with them) are removed.
 * The caller holds the locks and has checked that no job of it is queued or running.
 */
export const markDeleted = async (tx: Transaction<Database>, recordingId: string, purge: PurgePending) => {
  await tx.deleteFrom('tracks').where('recording_id', '=', recordingId).execute();
  await tx.deleteFrom('transcripts').where('recording_id', '=', recordingId).execute();
  await tx
    .updateTable('recordings')
    .set({
      status: 'deleted',
      bucket: null,
      object_keys: '[]',
      duration_ms: null,
      error: null,
      raw_pending: null,
      purge_pending: purge.transcriptIds.length || purge.rawKeys.length ? JSON.stringify(purge) : null,
      deleted_at: sql`now()`,
      updated_at: sql`now()`,
    })
    .where('id', '=', recordingId)
    .execute();
};

/** A transcript without a recording (rows from before recordings were kept) is deleted outright. */
export const deleteOrphanTranscript = async (tx: Transaction<Database>, transcriptId: string) => {
  await tx.deleteFrom('transcripts').where('id', '=', transcriptId).where('recording_id', 'is', null).execute();
};

/** What a deletion left in object storage is gone: the tombstone no longer lists it. */
export const markPurged = async (db: Db, recordingId: string) => {
  await db.updateTable('recordings').set({ purge_pending: null }).where('id', '=', recordingId).where('status', '=', 'deleted').execute();
};
