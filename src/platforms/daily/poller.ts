/**
 * Discovery by polling (the primary path: Daily disables a webhook after three failed deliveries; webhooks are the accelerator): pages through
 * `GET /v1/recordings` by the id cursor and enqueues every finished raw-tracks recording not yet
 * known. Enqueueing is keyed `daily:<recording id>`, the same key the webhook uses, so the two
 * racing make one job.
 *
 * Paging stops at the end of the list, or at the first page whose recordings are all finished
 * and already known: the list is newest first, so everything older was seen by an earlier pass
 * (the first pass reads the whole history).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { enqueueRecording } from '../../recordings/enqueue-recording.ts';
import { PROCESS_MULTITRACK_RECORDING } from '../../recordings/recording-jobs.ts';
import { listDailyRecordings, type DailyApi, type DailyRecording } from './api-client.ts';
import { recordingJob } from './recording-job.ts';
import { checkDailyTrackKeys } from './track-keys.ts';
import type { Log } from '../../log.ts';
import { startPeriodic } from '../../jobs/periodic.ts';

/** `deleted`: recordings listed that we deleted (skipped: never enqueued again). */
export type PollResult = { pages: number; seen: number; enqueued: number; inProgress: number; refused: number; deleted: number };

const isFinished = (r: DailyRecording) => r.status === 'finished' && r.duration != null;
const isRawTracks = (r: DailyRecording) => (r.tracks?.length ?? 0) > 0;

export const pollDailyOnce = async (deps: { db: Kysely<Database>; api: DailyApi; bucket: string; maxAttempts?: number }): Promise<PollResult> => {
  const result: PollResult = { pages: 0, seen: 0, enqueued: 0, inProgress: 0, refused: 0, deleted: 0 };
  let cursor: string | undefined;
  for (;;) {
    const page = await listDailyRecordings(deps.api, { startingAfter: cursor });
    result.pages++;
    if (page.data.length === 0) break;
    let pageAllKnown = true;
    for (const recording of page.data) {
      result.seen++;
      if (!isFinished(recording)) {
        result.inProgress++;
        pageAllKnown = false;
        continue;
      }
      if (!isRawTracks(recording)) continue;
      const ready = { ...recording, type: 'raw-tracks', recording_id: recording.id, s3_key: recording.s3key };
      // The same confinement as the webhook: only objects in the recording's own folder.
      if (!checkDailyTrackKeys({ ...ready, tracks: recording.tracks ?? [] }).ok) {
        result.refused++;
        continue;
      }
      const job = recordingJob(ready, deps.bucket);
      if (job.objects.length === 0) continue;
      const { created, deleted } = await enqueueRecording(deps.db, PROCESS_MULTITRACK_RECORDING, job, { maxAttempts: deps.maxAttempts });
      if (deleted) result.deleted++;
      if (created) {
        result.enqueued++;
        pageAllKnown = false;
      }
    }
    if (pageAllKnown) break;
    cursor = page.data.at(-1)!.id;
  }
  return result;
};

/** Polls every `intervalSec` until stopped; a failed pass is logged and retried next time. */
export const startDailyPoller = (deps: { db: Kysely<Database>; api: DailyApi; bucket: string; maxAttempts?: number; intervalSec: number; log: Log }) =>
  startPeriodic(
    async () => deps.log({ msg: 'daily poll', ...(await pollDailyOnce(deps)) }),
    deps.intervalSec * 1000,
    (error) => deps.log({ msg: 'daily poll failed', error: error.message }),
  );
