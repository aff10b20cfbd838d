/**
 * A stored timeline as the inspector is served it: each track with `speaker`, the name the API
 * gives it (src/recordings/speaker-names.ts: the event JSON's, else the platform's participant
 * record, else "Speaker N"), which the stored file cannot know (participants announce themselves
 * to the service, not to the pipeline).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { loadParticipantNames } from '../recordings/recording-speakers.ts';
import { speakerOfTimeline } from '../recordings/speaker-names.ts';
import type { Timeline } from '../timeline/types.ts';

export const withSpeakers = async (db: Kysely<Database>, recordingId: string, timeline: Timeline) => {
  const recording = await db.selectFrom('recordings').select('meeting_id').where('id', '=', recordingId).executeTakeFirst();
  const speakerOf = speakerOfTimeline(timeline, await loadParticipantNames(db, recording?.meeting_id ?? null));
  return { ...timeline, tracks: timeline.tracks.map((t) => ({ ...t, speaker: speakerOf(t) })) };
};
