/**
 * A processed recording as the service stores it, for the suites that open it through the API:
 * its rows (recording, ready transcript, one track row per timeline track) and its outputs
 * (timeline.json, mixdown.mp3, every render and peaks file) put in the transcript bucket, read
 * from a `process` output folder. Returns the ids and each stored file's bytes by its name.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import type { ObjectStore } from '../../src/storage/object-store.ts';
import type { Timeline } from '../../src/timeline/types.ts';
import type { TranscriptWord } from '../../src/transcription/transcript.ts';

export const storeProcessedRecording = async (db: Kysely<Database>, transcripts: ObjectStore, outDir: string, timeline: Timeline) => {
  const recording = await db
    .insertInto('recordings')
    .values({ platform: 'daily', platform_recording_id: 'stored', bucket: 'daily', object_keys: '[]', status: 'processed' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const transcript = await db.insertInto('transcripts').values({ recording_id: recording.id, status: 'ready' }).returning('id').executeTakeFirstOrThrow();
  const files = new Map<string, Buffer>();
  const store = async (name: string) => {
    const bytes = await readFile(join(outDir, name));
    files.set(name, bytes);
    await transcripts.put(`${transcript.id}/${name}`, bytes);
  };
  const trackIds = new Map<string, string>();
  for (const track of timeline.tracks) {
    const row = await db
      .insertInto('tracks')
      .values({ recording_id: recording.id, participant_id: track.participantId, object_key: `raw/${track.file}`, status: 'rendered', gaps: '[]' })
      .returning('id')
      .executeTakeFirstOrThrow();
    trackIds.set(track.file, row.id);
    await store(track.peaks!);
    await store(track.output!);
  }
  await store('timeline.json');
  await store('mixdown.mp3');
  await db
    .updateTable('transcripts')
    .set({ audio_key: `${transcript.id}/mixdown.mp3` })
    .where('id', '=', transcript.id)
    .execute();
  return { recordingId: recording.id, transcriptId: transcript.id, trackIds, files };
};

/**
 * A stored recording's words as the transcription job stores them (transcribe-recording.ts):
 * `transcript.json` beside its outputs, the stored mixdown `audio.mp3` as the transcript's audio,
 * transcription ready.
 */
export const storeTranscribedWords = async (
  db: Kysely<Database>,
  transcripts: ObjectStore,
  transcriptId: string,
  durationMs: number,
  words: readonly TranscriptWord[],
) => {
  await transcripts.put(`${transcriptId}/transcript.json`, Buffer.from(JSON.stringify({ language: 'en', durationMs, words, segments: [] })));
  await db
    .updateTable('transcripts')
    .set({ audio_key: `${transcriptId}/audio.mp3`, transcription_status: 'ready' })
    .where('id', '=', transcriptId)
    .execute();
};
