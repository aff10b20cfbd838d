/**
 * Which rows a principal may see. A meeting belongs to its owner; its recordings and
 * transcripts follow it. Admins see everything; a meeting nobody owns (discovered from a
 * recording of a room nobody created) is admins' only until assigned. A row that exists but is
 * not visible reads exactly as one that does not exist (404), so ids reveal nothing.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { canSee, type Principal } from './principal.ts';

export const visibleMeeting = async (db: Kysely<Database>, principal: Principal, id: string) => {
  const meeting = await db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst();
  return meeting && canSee(principal, meeting.owner) ? meeting : undefined;
};

export const visibleRecording = async (db: Kysely<Database>, principal: Principal, id: string) => {
  const row = await db
    .selectFrom('recordings')
    .leftJoin('meetings', 'meetings.id', 'recordings.meeting_id')
    .selectAll('recordings')
    .select('meetings.owner as owner')
    .where('recordings.id', '=', id)
    // A deleted recording (its tombstone) reads as absent.
    .where('recordings.status', '!=', 'deleted')
    .executeTakeFirst();
  if (!row || !canSee(principal, row.owner ?? null)) return undefined;
  const { owner: _owner, ...recording } = row;
  return recording;
};

/** A transcript's visibility follows its recording's meeting (or its own meeting when it has no recording). */
export const visibleTranscript = async (db: Kysely<Database>, principal: Principal, id: string) => {
  const row = await db
    .selectFrom('transcripts')
    .leftJoin('recordings', 'recordings.id', 'transcripts.recording_id')
    .leftJoin('meetings', (join) => join.on((eb) => eb('meetings.id', '=', eb.fn.coalesce('recordings.meeting_id', 'transcripts.meeting_id'))))
    .selectAll('transcripts')
    .select('meetings.owner as owner')
    .where('transcripts.id', '=', id)
    .executeTakeFirst();
  if (!row || !canSee(principal, row.owner ?? null)) return undefined;
  const { owner: _owner, ...transcript } = row;
  return transcript;
};
