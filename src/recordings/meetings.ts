/**
 * The meeting of an incoming recording or event: matched to our meeting by room name and the
 * closest start time; a recording for a room we did not create still gets a (discovered) meeting.
 * (The recording's own rows are recording-rows.ts'.) One rule, written once as common table
 * expressions, so a webhook can find or create its meeting inside the one statement that files it.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database, Platform } from '../db/schema.ts';

/** How far a recording's start may be from a meeting's start and still belong to it. */
const MATCH_WINDOW_MS = 12 * 3600_000;

/**
 * CTEs ending in `meeting(id)`: the meeting of `roomName` whose start is closest to `startAt` within
 * the window (without `startAt`, any meeting of the room), else a new discovered one — and nothing
 * at all unless `when` holds (a duplicate delivery touches no meeting).
 */
export const meetingCtes = (platform: Platform, roomName: string, startAt: Date | null, when: RawBuilder<unknown> = sql`true`): RawBuilder<unknown> => {
  const at = sql`${startAt}::timestamptz`;
  const windowMs = sql`${MATCH_WINDOW_MS} * interval '1 millisecond'`;
  return sql`matched_meeting as (
      select id from meetings
      where platform = ${platform} and room_name = ${roomName} and ${when}
        and (${at} is null or start_at between ${at} - ${windowMs} and ${at} + ${windowMs})
      order by abs(extract(epoch from start_at - ${at})) nulls last, id
      limit 1
    ),
    created_meeting as (
      insert into meetings (platform, room_name, origin, start_at)
      select ${platform}, ${roomName}, 'discovered', ${at}
      where ${when} and not exists (select 1 from matched_meeting)
      returning id
    ),
    meeting as (select id from matched_meeting union all select id from created_meeting)`;
};

export const findOrCreateMeeting = async (db: Kysely<Database>, platform: Platform, roomName: string, startAt: Date | null): Promise<string> => {
  const { rows } = await sql<{ id: string }>`with ${meetingCtes(platform, roomName, startAt)} select id from meeting`.execute(db);
  return rows[0]!.id;
};
