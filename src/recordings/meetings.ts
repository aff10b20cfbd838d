/**
 * The meeting of an incoming recording or event: matched to our meeting by room name and the
 * closest start time; a recording for a room we did not create still gets a (discovered) meeting.
 * (The recording's own rows are recording-states.ts'.)
 */
import type { Kysely } from 'kysely';
import type { Database, Platform } from '../db/schema.ts';

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
