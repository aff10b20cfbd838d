/**
 * Operator actions through the API on PostgreSQL: the failed-recordings listing, reprocessing a
 * failed recording (refused while busy or once its raw objects are gone), deleting a transcript
 * with its objects and rows, and retention expiring old transcripts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { H3 } from 'h3';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { PROCESS_MULTITRACK_RECORDING } from '../../src/recordings/recording-jobs.ts';
import { claimJob, finishJob } from '../../src/jobs/lease.ts';
import { enqueueRecording } from '../../src/recordings/enqueue-recording.ts';
import { queueHooks } from '../../src/jobs/job-kind.ts';
import { processingHooks } from '../../src/recordings/recording-states.ts';
import { sweepRetention } from '../../src/recordings/retention.ts';
import type { AppDeps } from '../../src/server/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { testApp } from '../helpers/app.ts';

let t: TestDatabase;
let app: H3;
let deps: AppDeps;
let as: Awaited<ReturnType<typeof testApp>>['as'];
let n = 0;

const keyOf = (id: string) => `acme/room/1700000000000-11111111-1111-4111-8111-11111111111${id.length % 10}-cam-audio-1700000000209`;

/** A recording whose job failed for good, its raw object in the Daily bucket (or not). */
const failedRecording = async (withRaw = true) => {
  const id = `op-${++n}`;
  const key = keyOf(id)
    .replace('cam-audio', `cam-audio-${n}`)
    .replace(/-(\d+)$/, '-1700000000209');
  if (withRaw) await deps.stores.daily.put(key, new Uint8Array([1, 2, 3]));
  // A kind of its own, so this claim takes this job and not one another test queued again.
  const kind = `${PROCESS_MULTITRACK_RECORDING}-test-${n}`;
  await enqueueRecording(
    t.handle.db,
    kind,
    { platform: 'daily', platformRecordingId: id, bucket: 'daily', roomName: 'room', recordingStartMs: null, objects: [{ key, screenShare: false }] },
    { maxAttempts: 1 },
  );
  const job = await claimJob(t.handle.db, 'w', 60_000, [kind], () => queueHooks(processingHooks));
  await finishJob(t.handle.db, job!, 'w', { ok: false, error: 'PIPELINE_NO_TRACKS: nothing usable', permanent: true }, undefined, queueHooks(processingHooks));
  const recording = await t.handle.db.selectFrom('recordings').selectAll().where('platform_recording_id', '=', id).executeTakeFirstOrThrow();
  return { id, key, recording, jobId: job!.id };
};

beforeAll(async () => {
  t = await createTestDatabase('postgres');
  await migrateToLatest(t.handle.db);
  ({ app, deps, as } = await testApp(t.handle.db));
});
afterAll(() => t?.drop());

describe('operator actions', () => {
  it('lists failed recordings with their errors, to admins all and to others their own', async () => {
    const { recording } = await failedRecording();
    const listed = await (await app.request('/v1/recordings?status=failed', { headers: as('admin') })).json();
    expect(listed.recordings).toContainEqual(expect.objectContaining({ id: recording.id, status: 'failed', error: 'PIPELINE_NO_TRACKS: nothing usable' }));
    expect((await (await app.request('/v1/recordings?status=failed', { headers: as('read') })).json()).recordings).toEqual([]);
    expect((await app.request('/v1/recordings?status=burning', { headers: as('admin') })).status).toBe(400);
  });

  it('reprocesses a failed recording whose raw objects exist: job queued from its first attempt, recording and transcript pending', async () => {
    const { recording, jobId } = await failedRecording();
    expect((await app.request(`/v1/recordings/${recording.id}/reprocess`, { method: 'POST', headers: as('write') })).status).toBe(404); // not the write key's meeting
    expect((await app.request(`/v1/recordings/${recording.id}/reprocess`, { method: 'POST', headers: as('read') })).status).toBe(403);
    const response = await app.request(`/v1/recordings/${recording.id}/reprocess`, { method: 'POST', headers: as('admin') });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ recordingId: recording.id, jobId, status: 'pending' });
    const state = await t.handle.db
      .selectFrom('jobs')
      .innerJoin('recordings', (j) => j.on(sql`recordings.platform_recording_id`, '=', sql`jobs.payload->>'platformRecordingId'`))
      .innerJoin('transcripts', 'transcripts.recording_id', 'recordings.id')
      .select(['jobs.status as job', 'jobs.attempts', 'jobs.last_error', 'recordings.status as recording', 'transcripts.status as transcript'])
      .where('jobs.id', '=', jobId)
      .executeTakeFirstOrThrow();
    expect(state).toEqual({ job: 'queued', attempts: 0, last_error: null, recording: 'pending', transcript: 'pending' });
    const again = await app.request(`/v1/recordings/${recording.id}/reprocess`, { method: 'POST', headers: as('admin') });
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe('RECORDING_BUSY');
  });

  it('refuses to reprocess once the raw objects are gone', async () => {
    const { recording } = await failedRecording(false);
    const response = await app.request(`/v1/recordings/${recording.id}/reprocess`, { method: 'POST', headers: as('admin') });
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ error: { code: 'RECORDING_RAW_GONE', message: expect.stringContaining('raw objects no longer exist') } });
  });

  it('deletes a transcript with its objects, its rows and the raw objects left, keeping a tombstone of the recording', async () => {
    const { recording, key } = await failedRecording();
    const transcript = await t.handle.db.selectFrom('transcripts').selectAll().where('recording_id', '=', recording.id).executeTakeFirstOrThrow();
    await deps.stores.transcripts.put(`${transcript.id}/audio.mp3`, new Uint8Array([1]));
    await deps.stores.transcripts.put(`${transcript.id}/tracks/a.webm`, new Uint8Array([2]));
    expect((await app.request(`/v1/transcripts/${transcript.id}`, { method: 'DELETE', headers: as('read') })).status).toBe(403);
    const response = await app.request(`/v1/transcripts/${transcript.id}`, { method: 'DELETE', headers: as('admin') });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ deleted: { transcriptId: transcript.id, objects: 2, rawObjects: 1 } });
    expect(await deps.stores.transcripts.head(`${transcript.id}/audio.mp3`)).toBeNull();
    expect(await deps.stores.daily.head(key)).toBeNull();
    // A tombstone: ids, platform ids and timestamps; no job.
    expect(
      await t.handle.db.selectFrom('recordings').select(['status', 'bucket', 'object_keys', 'error']).where('id', '=', recording.id).executeTakeFirst(),
    ).toEqual({ status: 'deleted', bucket: null, object_keys: [], error: null });
    expect(await t.handle.db.selectFrom('jobs').select('payload').where('idempotency_key', '=', `daily:${recording.platform_recording_id}`).execute()).toEqual(
      [],
    );
    expect((await app.request(`/v1/recordings/${recording.id}`, { headers: as('admin') })).status).toBe(404);
    expect((await app.request(`/v1/transcripts/${transcript.id}`, { method: 'DELETE', headers: as('admin') })).status).toBe(404);
  });

  it('expires transcripts older than RETENTION_DAYS, keeps newer ones', async () => {
    const old = await failedRecording();
    const recent = await failedRecording();
    const oldTranscript = await t.handle.db.selectFrom('transcripts').selectAll().where('recording_id', '=', old.recording.id).executeTakeFirstOrThrow();
    await deps.stores.transcripts.put(`${oldTranscript.id}/audio.mp3`, new Uint8Array([1]));
    await t.handle.db
      .updateTable('transcripts')
      .set({ created_at: sql`now() - interval '3 days'` } as never)
      .where('id', '=', oldTranscript.id)
      .execute();
    const deleted = await sweepRetention({ db: t.handle.db, stores: deps.stores, retentionDays: 2 });
    expect(deleted).toBe(1);
    expect(await t.handle.db.selectFrom('transcripts').select('id').where('id', '=', oldTranscript.id).execute()).toEqual([]);
    expect(await deps.stores.transcripts.head(`${oldTranscript.id}/audio.mp3`)).toBeNull();
    expect(await t.handle.db.selectFrom('recordings').select('status').where('id', '=', recent.recording.id).executeTakeFirstOrThrow()).toEqual({
      status: 'failed',
    });
  });
});
