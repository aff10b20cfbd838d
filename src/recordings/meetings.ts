/**
 * Meetings and recordings rows for an incoming recording: the recording is matched to our
 * meeting by room name and the closest start time; a recording for a room we did not create
 * still gets a (discovered) meeting.
 */
import type { Kysely } from 'kysely';
import type { Database, Platform, Recording } from '../db/schema.ts';

/** How far a recording's start may be from a meeting's start and still belong to it. */
const MATCH_WINDOW_MS = 12 * 3600_000;

export const findOrCreateMeeting = async (db: Kysely<Database>, platform: Platform, roomName: string, startAt: Date | null): Promise<string> => {
  const candidates = await db.selectFrom('meetings').select(['id', 'start_at']).where('platform', '=', platform).where('room_name', '=', roomName).execute();
  const scored = candidates
    .map((m) => ({ id: m.id, distanceMs: startAt && m.start_at ? Math.abs(m.start_at.getTime() - startAt.getTime()) : Number.POSITIVE_INFINITY }))
    .filter((m) => m.distanceMs <= MATCH_WINDOW_MS || !startAt)
    .sort((a, b) => a.distanceMs - b.distanceMs);
  if (scored[0]) return scored[0].id;
  const created = await db
    .insertInto('meetings')
    .values({ platform, room_name: roomName, origin: 'discovered', start_at: startAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return created.id;
};

/** The recording row for a platform recording id, created on first sight (idempotent). */
export const upsertRecording = async (
  db: Kysely<Database>,
  values: { platform: Platform; platformRecordingId: string; bucket: string; objectKeys: string[]; meetingId: string; startAt: Date | null },
): Promise<Recording> => {
  await db
    .insertInto('recordings')
    .values({
      platform: values.platform,
      platform_recording_id: values.platformRecordingId,
      bucket: values.bucket,
      object_keys: JSON.stringify(values.objectKeys),
      meeting_id: values.meetingId,
      start_at: values.startAt,
    })
    .onConflict((oc) => oc.columns(['platform', 'platform_recording_id']).doNothing())
    .execute();
  return db
    .selectFrom('recordings')
    .selectAll()
    .where('platform', '=', values.platform)
    .where('platform_recording_id', '=', values.platformRecordingId)
    .executeTakeFirstOrThrow();
};

/** The recording's transcript row (one per recording, by a unique index). */
export const ensureTranscript = async (db: Kysely<Database>, recording: Recording) => {
  await db
    .insertInto('transcripts')
    .values({ recording_id: recording.id, meeting_id: recording.meeting_id })
    .onConflict((oc) => oc.column('recording_id').where('recording_id', 'is not', null).doNothing())
    .execute();
  return db.selectFrom('transcripts').selectAll().where('recording_id', '=', recording.id).executeTakeFirstOrThrow();
};
