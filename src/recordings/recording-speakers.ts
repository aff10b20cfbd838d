/**
 * A recording's speaker names from its rows: the tracks (with the event JSON's names) and the
 * participants the platform announced (speaker-names.ts decides).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { speakerNames } from './speaker-names.ts';

type SpeakerTrack = { participant_id: string | null; offset_ms: number | null; display_name: string | null };

/** `tracks`: the recording's track rows when the caller has them already (no second query). */
export const loadSpeakerNames = async (
  db: Kysely<Database>,
  recording: { id: string; meeting_id: string | null },
  tracks?: readonly SpeakerTrack[],
): Promise<Map<string, string>> => {
  const [rows, known] = await Promise.all([
    tracks ?? db.selectFrom('tracks').select(['participant_id', 'offset_ms', 'display_name']).where('recording_id', '=', recording.id).execute(),
    loadParticipantNames(db, recording.meeting_id),
  ]);
  return speakerNames(rows, known);
};

/** The display names the platform announced for a meeting's participants, by platform participant id. */
export const loadParticipantNames = async (db: Kysely<Database>, meetingId: string | null): Promise<Map<string, string>> => {
  if (!meetingId) return new Map();
  const participants = await db
    .selectFrom('participants')
    .select(['platform_participant_id', 'display_name'])
    .where('meeting_id', '=', meetingId)
    .where('display_name', 'is not', null)
    .execute();
  return new Map(participants.map((p) => [p.platform_participant_id, p.display_name!]));
};
