/**
 * The processing job: a recording's raw objects in a platform bucket → the pipeline → the
 * transcript bucket, with the database rows that describe it. Raw objects are deleted from the
 * platform bucket only after every output is stored and verified and the rows are committed; a
 * failed or retried run never deletes anything.
 *
 * Layout in the transcript bucket: `<transcriptId>/audio.mp3`, `<transcriptId>/tracks/<file>.<ext>`,
 * `<transcriptId>/timeline.json`.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { sql, type Kysely } from 'kysely';
import { TracksError, describeError } from '../errors.ts';
import type { Engine } from '../engine/engine.ts';
import type { Database } from '../db/schema.ts';
import type { JobContext } from '../jobs/worker.ts';
import { RecordingJobPayload } from '../jobs/kinds.ts';
import { checkDailyTrackKeys } from '../platforms/daily/track-keys.ts';
import { isPlainKey } from '../storage/object-key.ts';
import type { TrackFormat } from '../mix/track-format.ts';
import { processFiles } from '../pipeline/process-files.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { Stores } from '../storage/open-stores.ts';
import { ensureTranscript, findOrCreateMeeting, setRecordingStatus, upsertRecording } from './meetings.ts';


export type ProcessingDeps = {
  db: Kysely<Database>;
  stores: Stores;
  engine: Engine;
  /** Where raw objects are downloaded and outputs rendered; one subdirectory per run, removed after. */
  workDir: string;
  trackFormat?: TrackFormat;
  deleteRawRecordings?: boolean;
  log?: (event: Record<string, unknown>) => void;
};

const platformStore = (stores: Stores, platform: 'daily' | 'whereby'): ObjectStore => (platform === 'daily' ? stores.daily : stores.whereby);
const baseName = (key: string) => key.slice(key.lastIndexOf('/') + 1);

/** Resolves to the raw bytes processed (0 for a duplicate that found the work done). */
export const processRecording = async (deps: ProcessingDeps, rawPayload: unknown, context: Pick<JobContext, 'job' | 'signal'>): Promise<{ bytesIn: number }> => {
  const payload = RecordingJobPayload.parse(rawPayload);
  const { db, stores } = deps;
  const log = deps.log ?? (() => {});
  const source = platformStore(stores, payload.platform);
  if (source.bucket !== payload.bucket) {
    throw new TracksError('CONFIG_INVALID', `Recording is in bucket ${payload.bucket}, but the ${payload.platform} bucket is ${source.bucket}.`);
  }
  // The enqueuers confine keys already; a job row is data too, so check again before any fetch.
  const keys = payload.platform === 'daily'
    ? checkDailyTrackKeys({ room_name: payload.roomName, tracks: payload.objects.map((o) => ({ s3Key: o.key })) })
    : payload.objects.every((o) => isPlainKey(o.key)) ? { ok: true as const } : { ok: false as const, reason: 'an object key is not a plain key' };
  if (!keys.ok) throw new TracksError('STORAGE_BAD_KEY', `Refusing to process ${payload.platformRecordingId}: ${keys.reason}`);
  const startAt = payload.recordingStartMs === null ? null : new Date(payload.recordingStartMs);
  const meetingId = await findOrCreateMeeting(db, payload.platform, payload.roomName, startAt);
  const recording = await upsertRecording(db, {
    platform: payload.platform,
    platformRecordingId: payload.platformRecordingId,
    bucket: payload.bucket,
    objectKeys: payload.objects.map((o) => o.key),
    meetingId,
    startAt,
  });
  const transcript = await ensureTranscript(db, recording);
  if (transcript.status === 'ready') {
    // A duplicate (webhook and poller, a redelivered message) after processing finished.
    log({ msg: 'recording already processed', recordingId: recording.id, transcriptId: transcript.id });
    return { bytesIn: 0 };
  }
  const isLastAttempt = context.job.attempts >= context.job.max_attempts;
  await setRecordingStatus(db, recording.id, 'processing');
  await db.updateTable('transcripts').set({ status: 'processing', status_changed_at: sql`now()`, error: null }).where('id', '=', transcript.id).execute();

  await mkdir(deps.workDir, { recursive: true });
  const work = await mkdtemp(join(deps.workDir, `${transcript.id}-`));
  try {
    // 1. Download (streamed to disk; names keep the Daily track name the timeline parses).
    const inputs: string[] = [];
    let bytesIn = 0;
    for (const object of payload.objects) {
      const path = join(work, 'in', baseName(object.key));
      await mkdir(join(work, 'in'), { recursive: true });
      const { body } = await source.get(object.key);
      await pipeline(body, createWriteStream(path));
      bytesIn += (await stat(path)).size;
      inputs.push(path);
    }
    context.signal.throwIfAborted();
    // 2. The pipeline.
    const result = await processFiles(inputs, { engine: deps.engine, outDir: join(work, 'out'), trackFormat: deps.trackFormat, signal: context.signal });
    // 3. Upload and verify every output.
    const uploads = [
      { key: `${transcript.id}/audio.mp3`, path: result.mixdownPath, contentType: 'audio/mpeg' },
      { key: `${transcript.id}/timeline.json`, path: result.timelinePath, contentType: 'application/json' },
      ...result.timeline.tracks.filter((t) => t.output).map((t) => ({ key: `${transcript.id}/${t.output}`, path: join(work, 'out', t.output!), contentType: undefined })),
    ];
    for (const upload of uploads) {
      const sizeBytes = (await stat(upload.path)).size;
      await stores.transcripts.put(upload.key, createReadStream(upload.path), { contentType: upload.contentType });
      const stored = await stores.transcripts.head(upload.key);
      if (stored?.sizeBytes !== sizeBytes) {
        throw new TracksError('STORAGE_FAILED', `Upload of ${upload.key} did not verify: ${stored?.sizeBytes ?? 'no object'} bytes stored, ${sizeBytes} written.`);
      }
    }
    // 4. Rows, in one transaction.
    await db.transaction().execute(async (tx) => {
      await tx.deleteFrom('tracks').where('recording_id', '=', recording.id).execute();
      const byFile = new Map(payload.objects.map((o) => [baseName(o.key), o]));
      const rows = [
        ...result.timeline.tracks.map((t) => ({
          recording_id: recording.id,
          participant_id: t.participantId,
          object_key: byFile.get(t.file)?.key ?? t.file,
          screen_share: byFile.get(t.file)?.screenShare ?? false,
          offset_ms: Math.round(t.offsetMs),
          filename_offset_ms: t.filenameOffsetMs === null ? null : Math.round(t.filenameOffsetMs),
          duration_ms: Math.round(t.durationMs),
          gaps: JSON.stringify(t.gaps),
          status: t.output ? ('rendered' as const) : ('failed' as const),
        })),
        ...result.timeline.skipped.map((s) => ({
          recording_id: recording.id,
          participant_id: null,
          object_key: byFile.get(s.file)?.key ?? s.file,
          screen_share: byFile.get(s.file)?.screenShare ?? false,
          offset_ms: null,
          filename_offset_ms: null,
          duration_ms: null,
          gaps: '[]',
          status: 'skipped' as const,
        })),
      ];
      if (rows.length) await tx.insertInto('tracks').values(rows).execute();
      await tx
        .updateTable('transcripts')
        .set({ status: 'ready', audio_key: `${transcript.id}/audio.mp3`, duration_ms: Math.round(result.timeline.durationMs), status_changed_at: sql`now()`, error: null })
        .where('id', '=', transcript.id)
        .execute();
      await tx
        .updateTable('recordings')
        .set({ status: 'processed', duration_ms: Math.round(result.timeline.durationMs), error: null, updated_at: sql`now()` })
        .where('id', '=', recording.id)
        .execute();
    });
    log({ msg: 'recording processed', recordingId: recording.id, transcriptId: transcript.id, tracks: result.timeline.tracks.length, skipped: result.timeline.skipped.length });
    // 5. Only now: the raw objects go.
    if (deps.deleteRawRecordings ?? true) {
      for (const object of payload.objects) await source.delete(object.key);
      log({ msg: 'raw recording deleted', recordingId: recording.id, objects: payload.objects.length });
    }
    return { bytesIn };
  } catch (error) {
    const message = describeError(error);
    if (isLastAttempt) {
      await setRecordingStatus(db, recording.id, 'failed', message);
      await db.updateTable('transcripts').set({ status: 'failed', error: message, status_changed_at: sql`now()` }).where('id', '=', transcript.id).execute();
    } else {
      await setRecordingStatus(db, recording.id, 'pending', message);
    }
    throw error;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
};
