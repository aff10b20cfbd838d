/**
 * The processing job: a recording's raw objects in a platform bucket → the pipeline → the
 * transcript bucket, in two steps (recording-states.ts):
 * 1. render, upload and verify every output, then commit the rows describing them (tracks,
 *    transcript `ready`, recording `cleanup` with the raw objects to delete in `raw_pending`) in
 *    one transaction that first checks this worker still holds the job's lease (commitOutputs) —
 *    a recording deleted meanwhile (a worker that lost its lease) gets none, and its outputs are
 *    discarded;
 * 2. delete exactly those raw objects — the tracks whose outputs were produced and verified (video
 *    too under DELETE_RAW_RECORDINGS=all) — and return the writes that end the recording
 *    `processed`, committed with the job's success.
 * A retry after a crash between the two (or a failed deletion) finds the recording `cleanup` and
 * only does step 2: deleting a missing object is no error. A failed or aborted run before step 1
 * deletes nothing; a track that could not be used keeps its raw object and says why.
 *
 * Layout in the transcript bucket: `<transcriptId>/audio.mp3`, `<transcriptId>/tracks/<file>.<ext>` (and its
 * waveform peaks `….<ext>.peaks.dat`),
 * `<transcriptId>/timeline.json`; the transcription job (transcribe-recording.ts) adds
 * `<transcriptId>/transcript.json|.vtt|.srt|.txt`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import { TracksError } from '../errors.ts';
import type { Engine } from '../engine/engine.ts';
import type { Database } from '../db/schema.ts';
import type { JobContext } from '../jobs/job-kind.ts';
import type { RecordingJob } from '../recordings/recording-jobs.ts';
import { checkDailyTrackKeys } from '../platforms/daily/track-keys.ts';
import { isPlainKey } from '../storage/object-key.ts';
import { mkdirPrivate } from '../storage/private-dir.ts';
import { downloadToFile, putVerified } from '../storage/transfer.ts';
import type { TrackFormat } from '../mix/track-format.ts';
import { processFiles } from '../pipeline/process-files.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { Stores } from '../storage/open-stores.ts';
import { commitOutputs, markProcessed } from '../recordings/recording-states.ts';
import { ensureRecordingRows } from '../recordings/recording-rows.ts';
import { findDailyEventJson } from './find-event-json.ts';
import { baseName, recordingOutcomes, type RawDeletionPolicy } from './recording-outcomes.ts';
import type { Log } from '../log.ts';
import { requestTranscription } from '../recordings/transcription-states.ts';

export type ProcessingDeps = {
  db: Kysely<Database>;
  stores: Stores;
  engine: Engine;
  /** Where raw objects are downloaded and outputs rendered; one subdirectory per run, removed after. */
  workDir: string;
  trackFormat?: TrackFormat;
  /** Opus renders decode and encode again instead of copying packets (TRACK_REENCODE). */
  reencode?: boolean;
  /** MIXDOWN_BLEED_GATE: lower bleed-only stretches in the mixdown. */
  bleedGate?: boolean;
  deleteRawRecordings?: RawDeletionPolicy;
  /** Set when a transcriber is configured: the audio's commit also queues the words' job. */
  transcribe?: { maxAttempts: number };
  log?: Log;
};

const platformStore = (stores: Stores, platform: 'daily' | 'whereby'): ObjectStore => (platform === 'daily' ? stores.daily : stores.whereby);

export type ProcessingResult = { bytesIn: number; commit: (tx: Transaction<Database>) => Promise<void> };

/** Runs the pipeline on the recording; resolves to the bytes read and the writes to commit with the job's success. */
export const processRecording = async (
  deps: ProcessingDeps,
  payload: RecordingJob,
  context: Pick<JobContext, 'job' | 'signal' | 'workerId'>,
): Promise<ProcessingResult> => {
  const { db, stores } = deps;
  const log = deps.log ?? (() => {});
  const source = platformStore(stores, payload.platform);
  if (source.bucket !== payload.bucket) {
    throw new TracksError('CONFIG_INVALID', `Recording is in bucket ${payload.bucket}, but the ${payload.platform} bucket is ${source.bucket}.`);
  }
  // The enqueuers confine keys already; a job row is data too, so check again before any fetch.
  const keys =
    payload.platform === 'daily'
      ? checkDailyTrackKeys({ room_name: payload.roomName, tracks: payload.objects.map((o) => ({ s3Key: o.key })) })
      : payload.objects.every((o) => isPlainKey(o.key))
        ? { ok: true as const }
        : { ok: false as const, reason: 'an object key is not a plain key' };
  if (!keys.ok) throw new TracksError('STORAGE_BAD_KEY', `Refusing to process ${payload.platformRecordingId}: ${keys.reason}`);
  const { recording, transcript } = await ensureRecordingRows(db, payload, context.job.recording_id);
  if (recording.status === 'processed' || !transcript) {
    // A duplicate (another key for a recording already processed), or a deleted one: nothing to do, nothing to commit.
    log({ msg: `recording already ${recording.status}`, recordingId: recording.id });
    return { bytesIn: 0, commit: async () => {} };
  }
  const bytesIn = recording.status === 'cleanup' ? 0 : await renderAndCommit(deps, payload, context, recording.id, transcript.id, source);
  if (bytesIn === null) return { bytesIn: 0, commit: async () => {} };
  // Step 2: the raw objects step 1 listed (idempotent; a retry lands here directly).
  const pending = (await db.selectFrom('recordings').select('raw_pending').where('id', '=', recording.id).executeTakeFirstOrThrow()).raw_pending ?? [];
  for (const key of pending) {
    context.signal.throwIfAborted();
    await source.delete(key);
  }
  if (pending.length) log({ msg: 'raw recording deleted', recordingId: recording.id, objects: pending.length });
  return {
    bytesIn,
    commit: (tx) => markProcessed(tx, recording.id, pending.length > 0),
  };
};

/** Step 1: download, pipeline, upload and verify, then the rows (under the job's lease). Resolves to the bytes read, or null when the recording was deleted meanwhile (its outputs discarded). */
const renderAndCommit = async (
  deps: ProcessingDeps,
  payload: RecordingJob,
  context: Pick<JobContext, 'job' | 'signal' | 'workerId'>,
  recordingId: string,
  transcriptId: string,
  source: ObjectStore,
): Promise<number | null> => {
  const { db, stores } = deps;
  const log = deps.log ?? (() => {});
  const recording = { id: recordingId };
  const transcript = { id: transcriptId };

  await mkdirPrivate(deps.workDir);
  // `<pid>-…`: a later start removes the folders of runs whose process died (work-dirs.ts).
  const work = await mkdtemp(join(deps.workDir, `${process.pid}-${transcript.id}-`));
  try {
    // 1. Download (streamed to disk; names keep the Daily track name the timeline parses).
    const inputs: string[] = [];
    let bytesIn = 0;
    for (const object of payload.objects) {
      const path = join(work, 'in', baseName(object.key));
      await mkdirPrivate(join(work, 'in'));
      bytesIn += await downloadToFile(source, object.key, path);
      inputs.push(path);
    }
    // Daily's event JSON, when the recording's folder has one: passed to the pipeline as its log,
    // named (the timeline's `eventsFile`) as the service's timelines have always named it.
    const eventJson = await findDailyEventJson(source, payload);
    const eventJsonKey = eventJson?.key ?? null;
    context.signal.throwIfAborted();
    // 2. The pipeline.
    const result = await processFiles(inputs, {
      engine: deps.engine,
      outDir: join(work, 'out'),
      trackFormat: deps.trackFormat,
      reencode: deps.reencode,
      ...(eventJson ? { events: { file: `${baseName(eventJson.key)}.events`, log: eventJson.log } } : {}),
      ...(deps.bleedGate ? { mixdown: { bleedGate: true } } : {}),
      signal: context.signal,
    });
    // 3. Upload and verify every output.
    const uploads = [
      { key: `${transcript.id}/audio.mp3`, path: result.mixdownPath, contentType: 'audio/mpeg' },
      { key: `${transcript.id}/timeline.json`, path: result.timelinePath, contentType: 'application/json' },
      ...result.timeline.tracks
        .filter((t) => t.output)
        .map((t) => ({ key: `${transcript.id}/${t.output}`, path: join(work, 'out', t.output!), contentType: undefined })),
      // Each render's waveform peaks (src/mix/peaks.ts), for the inspector to draw without the audio.
      ...result.timeline.tracks
        .filter((t) => t.peaks)
        .map((t) => ({ key: `${transcript.id}/${t.peaks}`, path: join(work, 'out', t.peaks!), contentType: 'application/octet-stream' })),
    ];
    for (const upload of uploads) await putVerified(stores.transcripts, upload.key, { path: upload.path }, { contentType: upload.contentType });
    // 4. What to commit with the job's success: rows, states, and the raw deletion of verified tracks only.
    const { tracks, deletable, skippedKeys } = recordingOutcomes(result.timeline, payload, eventJsonKey, deps.deleteRawRecordings ?? 'audio');
    const committed = await db.transaction().execute(async (tx) => {
      const outcome = await commitOutputs(tx, context, {
        recordingId: recording.id,
        transcriptId: transcript.id,
        tracks,
        durationMs: result.timeline.durationMs,
        rawPending: deletable,
        audioKey: `${transcript.id}/audio.mp3`,
      });
      // The words are their own job: committed with the audio, so neither exists without the other.
      if (outcome === 'committed' && deps.transcribe) await requestTranscription(tx, transcript.id, deps.transcribe.maxAttempts);
      return outcome;
    });
    if (committed === 'deleted') {
      // Deleted while this run worked: nothing may stay under a transcript id nothing refers to.
      for (const upload of uploads) await stores.transcripts.delete(upload.key);
      log({ msg: 'recording deleted while processing; outputs discarded', recordingId: recording.id, objects: uploads.length });
      return null;
    }
    log({
      msg: 'recording processed',
      recordingId: recording.id,
      transcriptId: transcript.id,
      tracks: result.timeline.tracks.length,
      skipped: skippedKeys.length,
      rawToDelete: deletable.length,
      rawKept: skippedKeys,
    });
    return bytesIn;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
};
