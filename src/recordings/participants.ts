/**
 * Participant rows from platform events, one rule for both platforms: a participant is keyed by
 * meeting, platform id and session; a later event fills in a display name it did not have
 * (never erases one), an earlier join time is kept, a leave sets `left_at`. One statement: webhooks
 * arrive by the hundred per second.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export const upsertParticipant = async (
  db: Kysely<Database>,
  p: { meetingId: string; participantId: string; sessionId: string | null; displayName: string | null; joinedAt: Date | null; leftAt: Date | null },
): Promise<void> => {
  await db
    .insertInto('participants')
    .values({
      meeting_id: p.meetingId,
      platform_participant_id: p.participantId,
      platform_session_id: p.sessionId,
      display_name: p.displayName,
      joined_at: p.joinedAt,
      left_at: p.leftAt,
    })
    .onConflict((oc) =>
      oc.expression(sql`meeting_id, platform_participant_id, coalesce(platform_session_id, '')`).doUpdateSet({
        display_name: (eb) => eb.fn.coalesce('excluded.display_name', 'participants.display_name'),
        joined_at: (eb) => eb.fn.coalesce('participants.joined_at', 'excluded.joined_at'),
        left_at: (eb) => eb.fn.coalesce('excluded.left_at', 'participants.left_at'),
      }),
    )
    .execute();
};
