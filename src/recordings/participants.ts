/**
 * Participant rows from platform events, one rule for both platforms: a participant is keyed by
 * meeting, platform id and session; a later event fills in a display name it did not have
 * (never erases one), an earlier join time is kept, a leave sets `left_at`. One statement, and a
 * part of the webhook's own statement: webhooks arrive by the hundred per second.
 */
import { sql, type RawBuilder } from 'kysely';

export type ParticipantEvent = {
  participantId: string;
  sessionId: string | null;
  displayName: string | null;
  joinedAt: Date | null;
  leftAt: Date | null;
};

/** A CTE `participant` upserting `p` into the meeting(s) the CTE named `meeting(id)` holds (src/recordings/meetings.ts). */
export const participantCte = (p: ParticipantEvent): RawBuilder<unknown> =>
  sql`participant as (
      insert into participants (meeting_id, platform_participant_id, platform_session_id, display_name, joined_at, left_at)
      select meeting.id, ${p.participantId}, ${p.sessionId}::text, ${p.displayName}::text, ${p.joinedAt}::timestamptz, ${p.leftAt}::timestamptz from meeting
      on conflict (meeting_id, platform_participant_id, coalesce(platform_session_id, '')) do update set
        display_name = coalesce(excluded.display_name, participants.display_name),
        joined_at = coalesce(participants.joined_at, excluded.joined_at),
        left_at = coalesce(excluded.left_at, participants.left_at)
      returning 1
    )`;
