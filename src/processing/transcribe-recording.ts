/**
 * The transcription job: a transcript whose audio is ready → its words, from the outputs the
 * processing job stored (never the raw objects, which may be gone): `<id>/timeline.json` and
 * `<id>/tracks/…` are fetched, each track's speech goes to the transcriber, and
 * `<id>/transcript.json|.vtt|.srt|.txt` are uploaded and verified before the rows say `ready`.
 * Speakers are named as the recording API names them (recording-speakers.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Engine } from '../engine/engine.ts';
import { TracksError } from '../errors.ts';
import type { TranscribeJob } from '../recordings/recording-jobs.ts';
import type { JobContext } from '../jobs/job-kind.ts';
import type { Log } from '../log.ts';
import { loadParticipantNames } from '../recordings/recording-speakers.ts';
import { markWordsReady, transcriptExists } from '../recordings/transcription-states.ts';
import { speakerOfTimeline } from '../recordings/speaker-names.ts';
import type { Stores } from '../storage/open-stores.ts';
import { mkdirPrivate } from '../storage/private-dir.ts';
import { readObjectText } from '../storage/read-text.ts';
import { downloadToFile, putVerified } from '../storage/transfer.ts';
import type { Timeline } from '../timeline/types.ts';
import { transcribeTimeline } from '../transcription/transcribe-timeline.ts';
import type { Transcriber } from '../transcription/transcriber.ts';
import { transcriptFiles } from '../transcription/transcript-files.ts';

export type TranscriptionDeps = { db: Kysely<Database>; stores: Stores; engine: Engine; workDir: string; transcriber: Transcriber; log?: Log };

export const transcribeRecording = async (
  deps: TranscriptionDeps,
  { transcriptId }: TranscribeJob,
  context: Pick<JobContext, 'signal'>,
): Promise<(tx: Transaction<Database>) => Promise<void>> => {
  const { db, stores } = deps;
  const transcript = await db
    .selectFrom('transcripts')
    .leftJoin('recordings', 'recordings.id', 'transcripts.recording_id')
    .select(['transcripts.id', 'transcripts.status', 'recordings.meeting_id'])
    .where('transcripts.id', '=', transcriptId)
    .executeTakeFirst();
  if (!transcript) {
    // Deleted since it was queued: nothing to transcribe, nothing to retry.
    deps.log?.({ msg: 'transcript deleted; nothing to transcribe', transcriptId });
    return async () => {};
  }
  if (transcript.status !== 'ready') throw new TracksError('RECORDING_NOTHING_TO_DO', `transcript ${transcriptId} has no audio yet (${transcript.status})`);
  const timeline = JSON.parse(await readObjectText(stores.transcripts, `${transcriptId}/timeline.json`)) as Timeline;
  // The same naming as GET /v1/recordings/:id: event JSON names, then the platform's, then "Speaker N".
  const speakerOf = speakerOfTimeline(timeline, await loadParticipantNames(db, transcript.meeting_id));

  await mkdirPrivate(deps.workDir);
  const work = await mkdtemp(join(deps.workDir, `${process.pid}-words-${transcriptId}-`));
  try {
    const tracks = timeline.tracks.filter((t) => t.output && t.speech?.length);
    for (const track of tracks) {
      const path = join(work, track.output!);
      await mkdirPrivate(dirname(path));
      await downloadToFile(stores.transcripts, `${transcriptId}/${track.output}`, path);
    }
    const { transcript: words, stats } = await transcribeTimeline({
      engine: deps.engine,
      transcriber: deps.transcriber,
      timeline: { ...timeline, tracks },
      renderedPath: (track) => join(work, track.output!),
      speakerOf,
      workDir: work,
      signal: context.signal,
    });
    const files = transcriptFiles(words);
    for (const file of files) {
      await putVerified(stores.transcripts, `${transcriptId}/${file.name}`, { bytes: Buffer.from(file.body) }, { contentType: file.contentType });
    }
    // Deleted while this run worked (its lease lost, or it would have been refused): a deletion
    // after this check lists these files, one before it left them to us (delete-recording.ts).
    if (!(await transcriptExists(db, transcriptId))) {
      for (const file of files) await stores.transcripts.delete(`${transcriptId}/${file.name}`);
      deps.log?.({ msg: 'transcript deleted while transcribing; words discarded', transcriptId });
      return async () => {};
    }
    deps.log?.({
      msg: 'transcript words stored',
      transcriptId,
      words: words.words.length,
      requests: stats.requests,
      audioSentMs: stats.audioSentMs,
      tracksMs: stats.tracksMs,
      droppedBleedWords: stats.droppedBleedWords,
    });
    return (tx) => markWordsReady(tx, transcriptId, { language: words.language, segments: words.segments, wordCount: words.words.length });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
};
