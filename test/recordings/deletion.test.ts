/**
 * Deleted means deleted (issue 24), on both backends: a deleted recording is a tombstone that the
 * API reads as absent, whose webhook payloads, participants, tracks, transcript and objects are
 * gone, and that a redelivery, a new event or the poller never brings back; and the races —
 * DELETE against a claim, against a worker committing outputs after its lease ran out, against
 * a running transcription in the retention sweep — each end with nothing processed and nothing
 * left under an id nothing refers to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { sql } from 'kysely';
import type { H3 } from 'h3';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { PROCESS_MULTITRACK_RECORDING, recordingJobKey, TRANSCRIBE_RECORDING } from '../../src/recordings/recording-jobs.ts';
import type { Job } from '../../src/db/schema.ts';
import { claimJob, finishJob } from '../../src/jobs/lease.ts';
import type { JobHooks } from '../../src/jobs/job-outcome.ts';
import { pollDailyOnce } from '../../src/platforms/daily/poller.ts';
import { signDaily } from '../../src/platforms/daily/signature.ts';
import { deleteRecording } from '../../src/recordings/delete-recording.ts';
import { enqueueRecording } from '../../src/recordings/enqueue-recording.ts';
import { queueHooks } from '../../src/jobs/job-kind.ts';
import { commitOutputs, markProcessed, processingHooks } from '../../src/recordings/recording-states.ts';
import { requestTranscription, transcriptionHooks } from '../../src/recordings/transcription-states.ts';
import { sweepRetention } from '../../src/recordings/retention.ts';
import type { AppDeps } from '../../src/server/app.ts';
import type { ObjectStore } from '../../src/storage/object-store.ts';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { testApp } from '../helpers/app.ts';

const SECRET = Buffer.from('deletion-test-webhook-secret').toString('base64');
const START_MS = 1_700_000_000_000;
const trackName = (n: number) => `${START_MS}-${String(n).padStart(8, '0')}-1111-4111-8111-111111111111-cam-audio-${START_MS + 209}`;

describe.each(BACKENDS)('deleting recordings on %s', (backend) => {
  let t: TestDatabase;
  let app: H3;
  let deps: AppDeps;
  let as: Awaited<ReturnType<typeof testApp>>['as'];
  let daily: Server;
  const listed: unknown[] = [];
  let n = 0;

  beforeAll(async () => {
    t = await createTestDatabase(backend);
    await migrateToLatest(t.handle.db);
    ({ app, deps, as } = await testApp(t.handle.db, { daily: { webhookSecretBase64: SECRET, bucket: 'daily' } }));
    // Daily's GET /v1/recordings (docs.daily.co/reference/rest-api/recordings/list-recordings), listing what `listed` holds.
    daily = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ total_count: listed.length, data: listed })),
    );
    await new Promise<void>((r) => daily.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await new Promise((r) => daily?.close(r));
    await t?.drop();
  });

  const db = () => t.handle.db;
  const post = (body: unknown) => {
    const raw = JSON.stringify(body);
    const ts = String(Math.floor(Date.now() / 1000));
    return app.request('/v1/daily/webhook', {
      method: 'POST',
      body: raw,
      headers: { 'x-webhook-timestamp': ts, 'x-webhook-signature': signDaily(new TextEncoder().encode(raw), ts, SECRET) },
    });
  };
  const ready = (eventId: string, room: string) => ({
    version: '1.0.0',
    type: 'recording.ready-to-download',
    id: eventId,
    event_ts: START_MS / 1000,
    payload: {
      type: 'raw-tracks',
      recording_id: `rec-${room}`,
      room_name: room,
      start_ts: START_MS / 1000,
      s3_key: `acme/${room}/${START_MS}`,
      tracks: [{ type: 'audio', s3Key: `acme/${room}/${trackName(1)}`, size: 3 }],
    },
  });
  const recordingOf = (room: string) => db().selectFrom('recordings').selectAll().where('platform_recording_id', '=', `rec-${room}`).executeTakeFirstOrThrow();
  const jobsOf = (room: string) => db().selectFrom('jobs').selectAll().where('idempotency_key', '=', `daily:rec-${room}`).execute();
  /** A recording announced by webhook, its raw track in the Daily bucket, its job queued under its own kind (so each test claims its own). */
  const announced = async () => {
    const i = ++n;
    const room = `room-${backend}-${i}`;
    await deps.stores.daily.put(`acme/${room}/${trackName(1)}`, new Uint8Array([1, 2, 3]));
    expect((await post(ready(`evt-${room}`, room))).status).toBe(200);
    const kind = `${PROCESS_MULTITRACK_RECORDING}-deletion-${i}`;
    await db().updateTable('jobs').set({ kind }).where('idempotency_key', '=', `daily:rec-${room}`).execute();
    return { room, kind, recording: await recordingOf(room) };
  };
  /** The worker's step 1 and 2 through the state functions: outputs stored, committed, job succeeded. */
  const processed = async (kind: string, recordingId: string) => {
    const job = (await claimJob(db(), 'w1', 60_000, [kind], () => queueHooks(processingHooks)))!;
    const { id: transcriptId } = await db().selectFrom('transcripts').select('id').where('recording_id', '=', recordingId).executeTakeFirstOrThrow();
    for (const name of ['audio.mp3', 'timeline.json', 'tracks/a.webm']) await deps.stores.transcripts.put(`${transcriptId}/${name}`, new Uint8Array([7]));
    const tracks = [{ participant_id: 'p1', object_key: 'k', offset_ms: 0, filename_offset_ms: null, duration_ms: 1000, gaps: '[]', output: true }];
    const c = { recordingId, transcriptId, tracks, durationMs: 1000, rawPending: [], audioKey: `${transcriptId}/audio.mp3` };
    expect(
      await db()
        .transaction()
        .execute((tx) => commitOutputs(tx, { job, workerId: 'w1' }, c)),
    ).toBe('committed');
    expect(await finishJob(db(), job, 'w1', { ok: true, commit: (tx) => markProcessed(tx, recordingId, false) }, undefined, queueHooks(processingHooks))).toBe(
      true,
    );
    return { recordingId, transcriptId, job };
  };
  const code = async (response: Response) => ((await response.json()) as { error?: { code: string } }).error?.code;

  it('leaves a tombstone the API reads as absent, with its objects, rows, webhook payloads and participants gone; never announced back in', async () => {
    const { room, kind, recording } = await announced();
    await post({
      version: '1.0.0',
      type: 'participant.joined',
      id: `pj-${room}`,
      event_ts: START_MS / 1000,
      payload: { room, session_id: 's1', user_name: 'Ada', joined_at: START_MS / 1000 },
    });
    // Queued: busy.
    const busy = await app.request(`/v1/recordings/${recording.id}`, { method: 'DELETE', headers: as('admin') });
    expect(busy.status).toBe(409);
    expect(await code(busy)).toBe('RECORDING_BUSY');
    const { transcriptId } = await processed(kind, recording.id);
    expect(await db().selectFrom('participants').select('display_name').where('meeting_id', '=', recording.meeting_id!).execute()).toEqual([
      { display_name: 'Ada' },
    ]);

    const response = await app.request(`/v1/recordings/${recording.id}`, { method: 'DELETE', headers: as('admin') });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ deleted: { recordingId: recording.id, transcriptIds: [transcriptId], objects: 3, rawObjects: 1 } });

    const tombstone = await recordingOf(room);
    expect(tombstone).toMatchObject({
      id: recording.id,
      status: 'deleted',
      platform: 'daily',
      bucket: null,
      object_keys: [],
      duration_ms: null,
      purge_pending: null,
    });
    expect(tombstone.deleted_at).toBeInstanceOf(Date);
    expect(await db().selectFrom('transcripts').select('id').where('recording_id', '=', recording.id).execute()).toEqual([]);
    expect(await db().selectFrom('tracks').select('id').where('recording_id', '=', recording.id).execute()).toEqual([]);
    expect(await db().selectFrom('participants').select('id').where('meeting_id', '=', recording.meeting_id!).execute()).toEqual([]);
    const events = await db()
      .selectFrom('webhook_events')
      .select(['event_id', 'payload', 'raw_body'])
      .where('event_id', 'like', `%${room}`)
      .orderBy('event_id')
      .execute();
    expect(events.find((e) => e.event_id === `evt-${room}`)).toEqual({ event_id: `evt-${room}`, payload: {}, raw_body: null });
    const objects: string[] = [];
    for await (const o of deps.stores.transcripts.list(`${transcriptId}/`)) objects.push(o.key);
    expect(objects).toEqual([]);
    expect(await deps.stores.daily.head(`acme/${room}/${trackName(1)}`)).toBeNull();

    // Absent through the API; listed to admins as a tombstone.
    for (const path of [`/v1/recordings/${recording.id}`, `/v1/transcripts/${transcriptId}`, `/v1/recordings/${recording.id}/transcript`])
      expect((await app.request(path, { headers: as('admin') })).status, path).toBe(404);
    expect((await app.request(`/v1/recordings/${recording.id}/reprocess`, { method: 'POST', headers: as('admin') })).status).toBe(404);
    expect((await app.request(`/v1/recordings/${recording.id}`, { method: 'DELETE', headers: as('admin') })).status).toBe(404);
    const meeting = await (await app.request(`/v1/meetings/${recording.meeting_id}`, { headers: as('admin') })).json();
    expect(meeting.recordings).toEqual([]);
    const all = await (await app.request('/v1/recordings', { headers: as('admin') })).json();
    expect(all.recordings.map((r: { id: string }) => r.id)).not.toContain(recording.id);
    const tombstones = await (await app.request('/v1/recordings?status=deleted', { headers: as('admin') })).json();
    expect(tombstones.recordings).toContainEqual(expect.objectContaining({ id: recording.id, status: 'deleted', platformRecordingId: `rec-${room}` }));
    expect((await app.request('/v1/recordings?status=deleted', { headers: as('write') })).status).toBe(403);

    // Announced again: the redelivery, a new event id, and the poller — 200, nothing enqueued.
    expect(await jobsOf(room)).toEqual([]);
    expect(await (await post(ready(`evt-${room}`, room))).json()).toMatchObject({ ok: true, duplicate: true });
    const again = await post(ready(`evt-2-${room}`, room));
    expect(again.status).toBe(200);
    const stored = await db().selectFrom('webhook_events').select(['status', 'payload']).where('event_id', '=', `evt-2-${room}`).executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'ignored', payload: {} });
    listed.splice(0, listed.length, {
      id: `rec-${room}`,
      room_name: room,
      start_ts: START_MS / 1000,
      status: 'finished',
      duration: 60,
      s3key: `acme/${room}/${START_MS}`,
      tracks: [{ type: 'audio', s3Key: `acme/${room}/${trackName(1)}`, size: 3 }],
    });
    const poll = await pollDailyOnce({
      db: db(),
      api: { apiUrl: `http://127.0.0.1:${(daily.address() as { port: number }).port}/v1`, apiKey: 'k' },
      bucket: 'daily',
    });
    expect(poll).toMatchObject({ enqueued: 0, deleted: 1 });
    expect(await jobsOf(room)).toEqual([]);
    expect(
      await db().selectFrom('jobs').select('id').where('kind', 'in', [PROCESS_MULTITRACK_RECORDING, kind]).where('status', '=', 'queued').execute(),
    ).toEqual([]);
    expect(await recordingOf(room)).toEqual(tombstone);
    expect(await db().selectFrom('transcripts').select('id').where('recording_id', '=', recording.id).execute()).toEqual([]);
  });

  it('a removal that fails after the commit leaves the tombstone with what is left to remove, and the next sweep removes it', async () => {
    const { room, kind, recording } = await announced();
    const { transcriptId } = await processed(kind, recording.id);
    const base = deps.stores.transcripts;
    const unreachable: ObjectStore = {
      bucket: base.bucket,
      get: (k) => base.get(k),
      put: (k, body, options) => base.put(k, body, options),
      head: (k) => base.head(k),
      list: (prefix) => base.list(prefix),
      checkBucket: () => base.checkBucket(),
      presignGet: (k, e) => base.presignGet(k, e),
      delete: async () => {
        throw new Error('S3 answered 503');
      },
    };
    const failing = { ...deps.stores, transcripts: unreachable };
    await expect(deleteRecording(db(), failing, recording.id)).rejects.toThrow('S3 answered 503');
    expect(await recordingOf(room)).toMatchObject({
      status: 'deleted',
      purge_pending: { transcriptIds: [transcriptId], rawKeys: [`acme/${room}/${trackName(1)}`] },
    });
    expect((await app.request(`/v1/recordings/${recording.id}`, { headers: as('admin') })).status).toBe(404);
    expect(await deps.stores.transcripts.head(`${transcriptId}/audio.mp3`)).not.toBeNull();
    expect(await sweepRetention({ db: db(), stores: deps.stores, retentionDays: 365 })).toBe(0);
    expect((await recordingOf(room)).purge_pending).toBeNull();
    expect(await deps.stores.transcripts.head(`${transcriptId}/audio.mp3`)).toBeNull();
    expect(await deps.stores.daily.head(`acme/${room}/${trackName(1)}`)).toBeNull();
  });

  it('DELETE against a claim: whichever locks first, a tombstone never has a job claimed', async () => {
    const rounds = await Promise.all([1, 2, 3, 4].map(() => announced()));
    // Queued jobs: the claim and the deletion race; the deletion is refused whether it comes first or second.
    const outcomes = await Promise.all(
      rounds.flatMap(({ kind, recording }) => [
        claimJob(db(), `w-${kind}`, 60_000, [kind], () => queueHooks(processingHooks)),
        deleteRecording(db(), deps.stores, recording.id).then(
          () => 'deleted',
          (e: { code?: string }) => e.code,
        ),
      ]),
    );
    for (let i = 0; i < rounds.length; i++) {
      const { kind, room } = rounds[i]!;
      expect(outcomes[2 * i + 1]).toBe('RECORDING_BUSY');
      // The claim skips a job row the deletion holds locked (SKIP LOCKED): then it is still queued, and claimed now.
      const claimed = (outcomes[2 * i] as Job | null) ?? (await claimJob(db(), `w-${kind}`, 60_000, [kind], () => queueHooks(processingHooks)));
      expect(claimed).toMatchObject({ status: 'running' });
      expect((await recordingOf(room)).status).toBe('processing');
      // Once the job failed for good, the deletion may go on.
      await finishJob(db(), claimed!, `w-${kind}`, { ok: false, error: 'x', permanent: true }, undefined, queueHooks(processingHooks));
    }
    const after = await Promise.all(
      rounds.flatMap(({ kind, recording }) => [deleteRecording(db(), deps.stores, recording.id).then(() => 'deleted'), claimJob(db(), 'w2', 60_000, [kind])]),
    );
    expect(after).toEqual(rounds.flatMap(() => ['deleted', null]));
    for (const { room } of rounds) expect(await jobsOf(room)).toEqual([]);
  });

  it('DELETE against the commit of outputs: the commit of a worker whose lease ran out sees the tombstone and writes nothing (process-recording.test.ts: its outputs discarded)', async () => {
    const { room, kind, recording } = await announced();
    await db().updateTable('jobs').set({ max_attempts: 1 }).where('kind', '=', kind).execute();
    const job = (await claimJob(db(), 'slow', 50, [kind], () => queueHooks(processingHooks)))!;
    const { id: transcriptId } = await db().selectFrom('transcripts').select('id').where('recording_id', '=', recording.id).executeTakeFirstOrThrow();
    await deps.stores.transcripts.put(`${transcriptId}/audio.mp3`, new Uint8Array([1]));
    // Its lease runs out on its last attempt: another worker's claim fails the job for good…
    await db().updateTable('jobs').set({ locked_until: sql`now() - interval '1 second'` }).where('id', '=', job.id).execute();
    expect(await claimJob(db(), 'other', 60_000, [kind], () => queueHooks(processingHooks))).toBeNull();
    expect((await recordingOf(room)).status).toBe('failed');
    // …so it may be deleted, while the slow worker still stores outputs.
    const deleted = await deleteRecording(db(), deps.stores, recording.id);
    expect(deleted.objects).toBe(1);
    await deps.stores.transcripts.put(`${transcriptId}/timeline.json`, new Uint8Array([2]));
    const c = { recordingId: recording.id, transcriptId, tracks: [], durationMs: 1, rawPending: [], audioKey: `${transcriptId}/audio.mp3` };
    expect(
      await db()
        .transaction()
        .execute((tx) => commitOutputs(tx, { job, workerId: 'slow' }, c)),
    ).toBe('deleted');
    expect(await recordingOf(room)).toMatchObject({ status: 'deleted', raw_pending: null, duration_ms: null });
    expect(await db().selectFrom('tracks').select('id').where('recording_id', '=', recording.id).execute()).toEqual([]);
    expect(await db().selectFrom('transcripts').select('id').where('id', '=', transcriptId).execute()).toEqual([]);
    // Without a deletion, the same worker is refused for its lost lease and writes nothing.
    const live = await announced();
    const liveJob = (await claimJob(db(), 'slow', 60_000, [live.kind], () => queueHooks(processingHooks)))!;
    await db().updateTable('jobs').set({ locked_by: 'someone else' }).where('id', '=', liveJob.id).execute();
    const liveTranscript = await db().selectFrom('transcripts').select('id').where('recording_id', '=', live.recording.id).executeTakeFirstOrThrow();
    await expect(
      db()
        .transaction()
        .execute((tx) => commitOutputs(tx, { job: liveJob, workerId: 'slow' }, { ...c, recordingId: live.recording.id, transcriptId: liveTranscript.id })),
    ).rejects.toMatchObject({ code: 'JOB_LEASE_LOST' });
    expect((await recordingOf(live.room)).status).toBe('processing');
  });

  it('the retention sweep skips a recording whose transcription is queued or running, and deletes it once that ends', async () => {
    const { room, kind, recording } = await announced();
    const { transcriptId } = await processed(kind, recording.id);
    await db()
      .updateTable('transcripts')
      .set({ created_at: sql`now() - interval '3 days'` } as never)
      .where('id', '=', transcriptId)
      .execute();
    await db()
      .transaction()
      .execute((tx) => requestTranscription(tx, transcriptId, 3));
    const words = (await claimJob(db(), 'w-words', 60_000, [TRANSCRIBE_RECORDING], (): JobHooks => queueHooks(transcriptionHooks)))!;
    expect(await sweepRetention({ db: db(), stores: deps.stores, retentionDays: 2 })).toBe(0);
    expect((await recordingOf(room)).status).toBe('processed');
    expect((await app.request(`/v1/transcripts/${transcriptId}`, { method: 'DELETE', headers: as('admin') })).status).toBe(409);
    await finishJob(db(), words, 'w-words', { ok: false, error: 'transcriber away', permanent: true }, undefined, queueHooks(transcriptionHooks));
    expect(await sweepRetention({ db: db(), stores: deps.stores, retentionDays: 2 })).toBe(1);
    expect((await recordingOf(room)).status).toBe('deleted');
    expect(await db().selectFrom('jobs').select('id').where('kind', '=', TRANSCRIBE_RECORDING).execute()).toEqual([]);
    expect(await sweepRetention({ db: db(), stores: deps.stores, retentionDays: 2 })).toBe(0);
  });

  it('a Whereby recording from the queue is not enqueued again once deleted', async () => {
    const payload = {
      platform: 'whereby' as const,
      platformRecordingId: `whereby/room-${backend}/1.mp4`,
      bucket: 'whereby',
      roomName: `room-${backend}`,
      objects: [{ key: `room-${backend}/1.mp4` }],
    };
    const options = { maxAttempts: 1 };
    const first = await enqueueRecording(db(), `process_recording-deletion-${backend}`, payload, options);
    expect(first.created).toBe(true);
    await finishJob(
      db(),
      (await claimJob(db(), 'w', 60_000, [`process_recording-deletion-${backend}`], () => queueHooks(processingHooks)))!,
      'w',
      { ok: false, error: 'x', permanent: true },
      undefined,
      queueHooks(processingHooks),
    );
    const { id } = await db().selectFrom('recordings').select('id').where('platform_recording_id', '=', payload.platformRecordingId).executeTakeFirstOrThrow();
    await deleteRecording(db(), deps.stores, id);
    expect(await enqueueRecording(db(), 'process_recording', payload, options)).toEqual({ job: null, created: false, deleted: true });
    expect(await db().selectFrom('jobs').select('id').where('idempotency_key', '=', recordingJobKey(payload)).execute()).toEqual([]);
  });
});
