/**
 * The rows a recording job stands for — its meeting, recording and transcript — created on first
 * sight, idempotently, and found again by a job's uuid or the payload's platform ids. One of the
 * state modules (recording-states.ts has the state machine; test/structure/state-writes.test.ts):
 * rows come into being here in their first state, `pending`, and only transitions move them on.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, Recording } from '../db/schema.ts';
import type { RecordingJob } from './recording-jobs.ts';
import { findOrCreateMeeting } from './meetings.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The recording row for a platform recording id, created on first sight (idempotent). */
const upsertRecording = async (db: Db, payload: RecordingJob, meetingId: string, startAt: Date | null): Promise<Recording> => {
  const inserted = await db
    .insertInto('recordings')
    .values({
      platform: payload.platform,
      platform_recording_id: payload.platformRecordingId,
      bucket: payload.bucket,
      object_keys: JSON.stringify(payload.objects.map((o) => o.key)),
      meeting_id: meetingId,
      start_at: startAt,
    })
    .onConflict((oc) => oc.columns(['platform', 'platform_recording_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  // Read back only when another transaction made it first (a round trip less on every announcement).
  return inserted ?? findRecording(db, payload).executeTakeFirstOrThrow();
};

const findRecording = (db: Db, payload: Pick<RecordingJob, 'platform' | 'platformRecordingId'>) =>
  db.selectFrom('recordings').selectAll().where('platform', '=', payload.platform).where('platform_recording_id', '=', payload.platformRecordingId);

/** The recording's transcript row (one per recording, by a unique index). */
const ensureTranscript = async (db: Db, recording: Recording) => {
  const inserted = await db
    .insertInto('transcripts')
    .values({ recording_id: recording.id, meeting_id: recording.meeting_id })
    .onConflict((oc) => oc.column('recording_id').where('recording_id', 'is not', null).doNothing())
    .returningAll()
    .executeTakeFirst();
  return inserted ?? db.selectFrom('transcripts').selectAll().where('recording_id', '=', recording.id).executeTakeFirstOrThrow();
};

/** The recording of these platform ids, if any, locked (shared) until the caller's commit: a deletion under way is waited for. */
export const lockRecordingOf = (db: Db, payload: Pick<RecordingJob, 'platform' | 'platformRecordingId'>) =>
  db
    .selectFrom('recordings')
    .select(['id', 'status'])
    .where('platform', '=', payload.platform)
    .where('platform_recording_id', '=', payload.platformRecordingId)
    .forShare()
    .executeTakeFirst();

/**
 * The recording, meeting and transcript rows a recording job stands for (created on first sight).
 * A job's row names its recording (`recordingId`, migration 0006): found by its uuid then; by the
 * payload's platform ids otherwise. A tombstone comes back as it is, with no transcript: nothing
 * is created for a deleted recording.
 */
export const ensureRecordingRows = async (db: Db, payload: RecordingJob, recordingId?: string | null) => {
  // Usually the enqueuer created them: one lookup, no meeting matching on every claim and settle.
  const existing = await (recordingId ? db.selectFrom('recordings').selectAll().where('id', '=', recordingId) : findRecording(db, payload)).executeTakeFirst();
  if (existing?.status === 'deleted') return { recording: existing, transcript: null };
  if (existing) return { recording: existing, transcript: await ensureTranscript(db, existing) };
  const startAt = payload.recordingStartMs === null ? null : new Date(payload.recordingStartMs);
  const meetingId = await findOrCreateMeeting(db, payload.platform, payload.roomName, startAt);
  const recording = await upsertRecording(db, payload, meetingId, startAt);
  return { recording, transcript: recording.status === 'deleted' ? null : await ensureTranscript(db, recording) };
};
