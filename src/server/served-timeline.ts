/**
 * A stored timeline as the inspector is served it. Each track gains what the stored file cannot
 * know: `speaker`, the name the API gives it (src/recordings/speaker-names.ts: the event JSON's,
 * else the platform's participant record, else "Speaker N"; participants announce themselves to
 * the service, not to the pipeline), and `trackId`, its row's id, which names it in
 * `/v1/recordings/:id/tracks/:trackId/…`. A track is its row by file name: the pipeline's input
 * is the raw object's base name (process-recording.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { loadParticipantNames } from '../recordings/recording-speakers.ts';
import { speakerOfTimeline } from '../recordings/speaker-names.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { readObjectText } from '../storage/read-text.ts';
import type { Timeline, TimelineTrack } from '../timeline/types.ts';

export type ServedTrack = TimelineTrack & { speaker: string; trackId: string | null };
export type ServedTimeline = Omit<Timeline, 'tracks'> & { tracks: ServedTrack[] };

const baseName = (key: string) => key.slice(key.lastIndexOf('/') + 1);

/** The recording's stored `timeline.json`, with each track's speaker and row id. */
export const servedTimeline = async (db: Kysely<Database>, store: ObjectStore, recordingId: string, transcriptId: string): Promise<ServedTimeline> => {
  const stored = JSON.parse(await readObjectText(store, `${transcriptId}/timeline.json`)) as Timeline;
  const [recording, rows] = await Promise.all([
    db.selectFrom('recordings').select('meeting_id').where('id', '=', recordingId).executeTakeFirst(),
    db.selectFrom('tracks').select(['id', 'object_key']).where('recording_id', '=', recordingId).execute(),
  ]);
  const speakerOf = speakerOfTimeline(stored, await loadParticipantNames(db, recording?.meeting_id ?? null));
  const idOf = new Map(rows.map((r) => [baseName(r.object_key), r.id]));
  return { ...stored, tracks: stored.tracks.map((t) => ({ ...t, speaker: speakerOf(t), trackId: idOf.get(t.file) ?? null })) };
};

/**
 * One track of the stored timeline by its row's id (`trackId`), for the routes that serve a
 * track's files: the row and the timeline only, no speaker names (two reads where the whole
 * served timeline takes four; the peaks and audio routes are asked once per track).
 */
export const storedTrack = async (
  db: Kysely<Database>,
  store: ObjectStore,
  recordingId: string,
  transcriptId: string,
  trackId: string,
): Promise<TimelineTrack | undefined> => {
  const [stored, row] = await Promise.all([
    readObjectText(store, `${transcriptId}/timeline.json`).then((text) => JSON.parse(text) as Timeline),
    db.selectFrom('tracks').select('object_key').where('id', '=', trackId).where('recording_id', '=', recordingId).executeTakeFirst(),
  ]);
  return row ? stored.tracks.find((t) => t.file === baseName(row.object_key)) : undefined;
};
