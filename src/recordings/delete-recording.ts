/**
 * Deleting a recording (DELETE /v1/recordings/:id, DELETE /v1/transcripts/:id, retention): one
 * transaction with the queue decides and deletes — its jobs are locked first (the claim's lock
 * order), a recording whose processing or transcription job is queued or running is refused
 * (`RECORDING_BUSY`), anything else becomes a tombstone (deletion-states.ts `markDeleted`).
 * In the same transaction: its finished jobs go (their payloads name its objects) — the
 * tombstone is what a redelivery, a new event or the poller meets from then on
 * (enqueue-recording.ts), so the recording is never processed again; the webhook events naming
 * it keep their ids (deduplication) and lose their payloads; a meeting left with no recording
 * loses its participants. Only after the commit are its objects removed — the transcripts'
 * folders and the raw objects still in the platform bucket — and the tombstone's
 * `purge_pending` cleared; a removal that fails is finished by the next sweep (retention.ts).
 * A worker that lost its lease and stores outputs after the deletion discards them at its
 * commit, which sees the tombstone (commitOutputs, transcribe-recording.ts).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, Platform, PurgePending } from '../db/schema.ts';
import { TracksError } from '../errors.ts';
import { deleteJobs, selectJobs } from '../jobs/queue.ts';
import { recordingJobKey, RecordingJobPayload, TRANSCRIBE_RECORDING } from './recording-jobs.ts';
import type { Stores } from '../storage/open-stores.ts';
import { deleteOrphanTranscript, markDeleted, markPurged } from './deletion-states.ts';

export type DeleteResult = { recordingId: string | null; transcriptIds: string[]; objects: number; rawObjects: number };

const jobKey = (recording: { platform: Platform; platform_recording_id: string }) =>
  recordingJobKey({ platform: recording.platform, platformRecordingId: recording.platform_recording_id });

/** Deletes a recording with everything it produced; `NOT_FOUND` for none (or a tombstone), `RECORDING_BUSY` while a job of it is queued or running. */
export const deleteRecording = async (db: Kysely<Database>, stores: Stores, recordingId: string): Promise<DeleteResult> => {
  const decided = await db.transaction().execute(async (tx) => {
    const found = await tx.selectFrom('recordings').select(['platform', 'platform_recording_id']).where('id', '=', recordingId).executeTakeFirst();
    if (!found) return null;
    const transcriptIds = (await tx.selectFrom('transcripts').select('id').where('recording_id', '=', recordingId).execute()).map((t) => t.id);
    const jobs = await selectJobs(
      tx,
      { idempotencyKey: jobKey(found), payloadField: { kind: TRANSCRIBE_RECORDING, field: 'transcriptId', values: transcriptIds } },
      true,
    );
    const recording = await tx.selectFrom('recordings').selectAll().where('id', '=', recordingId).forUpdate().executeTakeFirstOrThrow();
    if (recording.status === 'deleted') return { purge: recording.purge_pending, platform: recording.platform, tombstone: true };
    // A job enqueued while the jobs above were being locked (one that held the recording's row before us) is queued: busy too.
    const late = await selectJobs(tx, { idempotencyKey: jobKey(found) });
    const busy = [...jobs, ...late.filter((j) => !jobs.some((l) => l.id === j.id))].find((j) => j.status === 'queued' || j.status === 'running');
    if (busy) throw new TracksError('RECORDING_BUSY', `recording is ${recording.status}: its ${busy.kind} job is ${busy.status}; delete it once the job ends`);
    const rawKeys = jobs.flatMap((j) => {
      const payload = RecordingJobPayload.safeParse(j.payload);
      return payload.success ? [...payload.data.objects.map((o) => o.key), ...payload.data.otherObjects] : [];
    });
    const purge = { transcriptIds, rawKeys };
    await markDeleted(tx, recordingId, purge);
    await deleteJobs(
      tx,
      jobs.map((j) => j.id),
    );
    await scrubWebhookEvents(tx, recording);
    if (recording.meeting_id) await removeParticipantsIfUnrecorded(tx, recording.meeting_id);
    return { purge, platform: recording.platform, tombstone: false };
  });
  if (!decided) throw new TracksError('NOT_FOUND', 'recording not found');
  // A tombstone reads as absent; what its deletion could not remove yet goes now.
  if (decided.tombstone) {
    if (decided.purge) await purgeObjects(db, stores, recordingId, decided.platform, decided.purge);
    throw new TracksError('NOT_FOUND', 'recording not found');
  }
  const purge = decided.purge ?? { transcriptIds: [], rawKeys: [] };
  const removed = await purgeObjects(db, stores, recordingId, decided.platform, purge);
  return { recordingId, transcriptIds: purge.transcriptIds, ...removed };
};

/** Deletes a transcript: its recording with it (deleteRecording), or — for a transcript without a recording — its row and objects. */
export const deleteTranscript = async (db: Kysely<Database>, stores: Stores, transcriptId: string): Promise<DeleteResult> => {
  const transcript = await db.selectFrom('transcripts').select(['id', 'recording_id']).where('id', '=', transcriptId).executeTakeFirst();
  if (!transcript) throw new TracksError('NOT_FOUND', 'transcript not found');
  if (transcript.recording_id) return deleteRecording(db, stores, transcript.recording_id);
  await db.transaction().execute((tx) => deleteOrphanTranscript(tx, transcriptId));
  return { recordingId: null, transcriptIds: [transcriptId], objects: await removeFolder(stores, transcriptId), rawObjects: 0 };
};

/** The tombstones whose objects are not all removed yet (a failed removal): removed now. Returns how many were finished. */
export const finishPurges = async (db: Kysely<Database>, stores: Stores, limit = 100): Promise<number> => {
  const pending = await db
    .selectFrom('recordings')
    .select(['id', 'platform', 'purge_pending'])
    .where('status', '=', 'deleted')
    .where('purge_pending', 'is not', null)
    .orderBy('updated_at')
    .limit(limit)
    .execute();
  for (const row of pending) await purgeObjects(db, stores, row.id, row.platform, row.purge_pending!);
  return pending.length;
};

const removeFolder = async (stores: Stores, transcriptId: string): Promise<number> => {
  const keys: string[] = [];
  for await (const object of stores.transcripts.list(`${transcriptId}/`)) keys.push(object.key);
  for (const key of keys) await stores.transcripts.delete(key);
  return keys.length;
};

const purgeObjects = async (db: Kysely<Database>, stores: Stores, recordingId: string, platform: Platform, purge: PurgePending) => {
  let objects = 0;
  for (const id of purge.transcriptIds) objects += await removeFolder(stores, id);
  const raw = platform === 'daily' ? stores.daily : stores.whereby;
  let rawObjects = 0;
  for (const key of purge.rawKeys) {
    if (!(await raw.head(key))) continue;
    await raw.delete(key);
    rawObjects++;
  }
  await markPurged(db, recordingId);
  return { objects, rawObjects };
};

/** The events that name the recording keep their ids (redeliveries stay duplicates), not what they said. */
const scrubWebhookEvents = async (tx: Transaction<Database>, recording: { platform: Platform; platform_recording_id: string }) => {
  const scrub = tx
    .updateTable('webhook_events')
    .set({ payload: '{}', raw_body: null, error: 'payload removed: the recording it names was deleted' })
    .where('platform', '=', recording.platform);
  if (recording.platform === 'daily') await scrub.where(sql`payload -> 'payload' ->> 'recording_id'`, '=', recording.platform_recording_id).execute();
  else {
    // Whereby's recording id is `<bucket>/<key>`; its events name the key.
    const key = recording.platform_recording_id.slice(recording.platform_recording_id.indexOf('/') + 1);
    await scrub.where('type', 'like', 'recording.%').where(sql`strpos(payload::text, ${key})`, '>', 0).execute();
  }
};

const removeParticipantsIfUnrecorded = async (tx: Transaction<Database>, meetingId: string) => {
  const live = await tx.selectFrom('recordings').select('id').where('meeting_id', '=', meetingId).where('status', '!=', 'deleted').limit(1).executeTakeFirst();
  if (!live) await tx.deleteFrom('participants').where('meeting_id', '=', meetingId).execute();
};
