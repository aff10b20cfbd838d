/**
 * What the service demo reads back from the running service: a recording's rows until it is
 * processed (or failed), and the timeline stored beside its transcript.
 */
import type { Service } from '../server/service.ts';
import type { Timeline } from '../timeline/types.ts';

/** Waits for the recording to be processed (outputs committed and raw objects deleted), and its words when asked for, or to fail. */
export const waitForTranscript = async (service: Service, platformRecordingId: string, timeoutMs: number, withWords: boolean) => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const row = await service.db.db
      .selectFrom('recordings')
      .innerJoin('transcripts', 'transcripts.recording_id', 'recordings.id')
      .select([
        'recordings.id as recordingId',
        'recordings.status',
        'recordings.error',
        'transcripts.id as transcriptId',
        'transcripts.status as transcriptStatus',
        'transcripts.transcription_status as transcriptionStatus',
      ])
      .where('recordings.platform_recording_id', '=', platformRecordingId)
      .executeTakeFirst();
    // The words come after the audio when a transcriber is configured: ready or failed, either way settled.
    const wordsSettled = !withWords || row?.transcriptionStatus === 'ready' || row?.transcriptionStatus === 'failed';
    if ((row?.status === 'processed' && wordsSettled) || row?.status === 'failed') return row;
    if (Date.now() > until) throw new Error(`no transcript for ${platformRecordingId} after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

export const readTimeline = async (service: Service, transcriptId: string): Promise<Timeline> => {
  const { body } = await service.stores.transcripts.get(`${transcriptId}/timeline.json`);
  let text = '';
  for await (const chunk of body) text += chunk;
  return JSON.parse(text) as Timeline;
};
