/**
 * A recording's speaker names from its rows: the tracks (with the event JSON's names) and the
 * participants the platform announced (speaker-names.ts decides).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { speakerNames } from './speaker-names.ts';

export const loadSpeakerNames = async (db: Kysely<Database>, recording: { id: string; meeting_id: string | null }): Promise<Map<string, string>> => {
  const [tracks, participants] = await Promise.all([
    db.selectFrom('tracks').select(['participant_id', 'offset_ms', 'display_name']).where('recording_id', '=', recording.id).execute(),
    recording.meeting_id
      ? db
          .selectFrom('participants')
          .select(['platform_participant_id', 'display_name'])
          .where('meeting_id', '=', recording.meeting_id)
          .where('display_name', 'is not', null)
          .execute()
      : [],
  ]);
  return speakerNames(tracks, new Map(participants.map((p) => [p.platform_participant_id, p.display_name!])));
};
