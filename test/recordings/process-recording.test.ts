/**
 * The processing job end to end on real parts: PostgreSQL, the S3 emulator (fauxqs) for the three
 * buckets, the wasm pipeline, and the job worker. Raw Daily tracks in → MP3, tracks and timeline
 * in the transcript bucket, rows in the database, raw objects gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadStream } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { FauxqsServer } from 'fauxqs';
import type { Engine } from '../../src/engine/engine.ts';
import { sharedEngine } from '../helpers/shared-engine.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { sql } from 'kysely';
import { enqueueJob } from '../../src/jobs/queue.ts';
import { claimJob } from '../../src/jobs/lease.ts';
import { processRecording } from '../../src/processing/process-recording.ts';
import { deleteRecording } from '../../src/recordings/delete-recording.ts';
import { enqueueRecording } from '../../src/recordings/enqueue-recording.ts';
import { queueHooks } from '../../src/jobs/job-kind.ts';
import { processingHooks } from '../../src/recordings/recording-states.ts';
import type { ObjectStore } from '../../src/storage/object-store.ts';
import type { Stores } from '../../src/storage/open-stores.ts';
import { PROCESS_MULTITRACK_RECORDING, RecordingJobPayload } from '../../src/recordings/recording-jobs.ts';
import { recordingJobKinds } from '../../src/processing/job-kinds.ts';
import { syntheticTracks } from '../helpers/synthetic-tracks.ts';
import { dailyEventJson, mediaBaseName, type EventTrackSpec } from '../helpers/daily-event-json.ts';
import { fixtureMeeting, type FixtureMeeting } from '../helpers/fixture-meeting.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { runJobsUntil } from '../helpers/run-jobs.ts';
import { listKeys, readObject, startEmulatedStores } from '../helpers/emulated-stores.ts';
import { decodeToPcm } from '../helpers/decode.ts';
import { firstSoundMs } from '../helpers/wav.ts';
import { TRACKS } from '../fixtures/meeting.ts';
import type { Timeline } from '../../src/timeline/types.ts';

let fauxqs: FauxqsServer;
let engine: Engine;
let t: TestDatabase;
let meeting: FixtureMeeting;
let stores: Stores;
let workDir: string;

const upload = async (key: string, path: string) => stores.daily.put(key, createReadStream(path));

beforeAll(async () => {
  ({ fauxqs, stores } = await startEmulatedStores());
  engine = await sharedEngine();
  t = await createTestDatabase('postgres');
  await migrateToLatest(t.handle.db);
  meeting = await fixtureMeeting();
  workDir = await mkdtemp(join(tmpdir(), 'rt-work-'));
});
afterAll(async () => {
  await t?.drop();
  await fauxqs?.stop();
});

const runJobs = (until: () => Promise<boolean>) =>
  runJobsUntil(t.handle.db, recordingJobKinds({ db: t.handle.db, stores, engine, workDir, trackFormat: 'wav' }), until);

describe('processing a Daily raw-tracks recording', () => {
  const room = 'standup';
  const prefix = `acme/${room}/`;
  let payload: RecordingJobPayload;

  it('renders, stores and verifies the outputs, records the rows, then deletes the raw tracks', async () => {
    const files = [TRACKS.lateJoiner, TRACKS.fromZero, TRACKS.reconnectA];
    for (const f of files) await upload(prefix + f.name, meeting.paths[Object.entries(TRACKS).find(([, v]) => v === f)![0] as keyof typeof TRACKS]);
    await upload(prefix + TRACKS.videoOnly.name, meeting.paths.videoOnly); // a video track we never ask for
    payload = {
      platform: 'daily',
      platformRecordingId: 'rec-standup-1',
      bucket: 'daily',
      roomName: room,
      recordingStartMs: 1_700_000_000_000,
      objects: files.map((f) => ({ key: prefix + f.name, screenShare: false })),
    };
    await enqueueJob(t.handle.db, PROCESS_MULTITRACK_RECORDING, payload, { idempotencyKey: 'daily:rec-standup-1', maxAttempts: 3 });
    const { db } = t.handle;
    // Outputs commit with the processing job (recording `cleanup`); the raw-deletion job then ends it `processed`.
    await runJobs(async () => (await db.selectFrom('recordings').select('status').executeTakeFirst())?.status === 'processed');

    const transcript = await db.selectFrom('transcripts').selectAll().executeTakeFirstOrThrow();
    expect(transcript).toMatchObject({ status: 'ready', audio_key: `${transcript.id}/audio.mp3`, error: null });
    expect(Math.abs(transcript.duration_ms! - 20_000)).toBeLessThanOrEqual(50);
    expect(await listKeys(stores.transcripts, transcript.id)).toEqual(
      [
        `${transcript.id}/audio.mp3`,
        `${transcript.id}/timeline.json`,
        ...files.flatMap((f) => [`${transcript.id}/tracks/${f.name}.wav`, `${transcript.id}/tracks/${f.name}.wav.peaks.dat`]),
      ].sort(),
    );
    const timeline = JSON.parse((await readObject(stores.transcripts, `${transcript.id}/timeline.json`)).toString()) as Timeline;
    expect(timeline.tracks).toHaveLength(3);

    // The speech (beeps) sits where it belongs in the stored mixdown.
    const local = join(workDir, 'check.mp3');
    await writeFile(local, await readObject(stores.transcripts, `${transcript.id}/audio.mp3`));
    const mix = await decodeToPcm(engine, local);
    for (const f of files) for (const beep of f.beepsSec) expect(Math.abs(firstSoundMs(mix, 16000, beep * 1000 - 400)! - beep * 1000)).toBeLessThanOrEqual(20);

    const recording = await db.selectFrom('recordings').selectAll().executeTakeFirstOrThrow();
    expect(recording).toMatchObject({
      status: 'processed',
      platform: 'daily',
      platform_recording_id: 'rec-standup-1',
      object_keys: payload.objects.map((o) => o.key),
    });
    const tracks = await db.selectFrom('tracks').selectAll().orderBy('offset_ms').execute();
    expect(tracks.map((x) => [basename(x.object_key), x.offset_ms, x.status])).toEqual([
      [TRACKS.fromZero.name, 0, 'rendered'],
      [TRACKS.reconnectA.name, 1994, 'rendered'],
      [TRACKS.lateJoiner.name, 8134, 'rendered'],
    ]);
    const meetingRow = await db.selectFrom('meetings').selectAll().executeTakeFirstOrThrow();
    expect(meetingRow).toMatchObject({ room_name: room, origin: 'discovered', id: recording.meeting_id });
    // Raw audio tracks gone; the video track we were not asked about stays.
    expect(await listKeys(stores.daily)).toEqual([prefix + TRACKS.videoOnly.name]);
  });

  it('does nothing for a duplicate after processing finished: no second transcript', async () => {
    await enqueueJob(t.handle.db, PROCESS_MULTITRACK_RECORDING, payload, { idempotencyKey: 'daily:rec-standup-1:again' });
    await runJobs(
      async () =>
        (await t.handle.db.selectFrom('jobs').select('status').where('idempotency_key', '=', 'daily:rec-standup-1:again').executeTakeFirst())?.status ===
        'succeeded',
    );
    expect(await t.handle.db.selectFrom('transcripts').select('id').execute()).toHaveLength(1);
  });

  it('fails a recording whose only track is corrupt at once (permanent) and keeps the raw object', async () => {
    const key = 'acme/broken/1700000000000-99999999-9999-4999-8999-999999999999-cam-audio-1700000000209';
    await upload(key, meeting.garbage);
    await enqueueJob(
      t.handle.db,
      PROCESS_MULTITRACK_RECORDING,
      { platform: 'daily', platformRecordingId: 'rec-broken', bucket: 'daily', roomName: 'broken', recordingStartMs: null, objects: [{ key }] },
      { idempotencyKey: 'daily:rec-broken', maxAttempts: 2 },
    );
    const { db } = t.handle;
    await runJobs(
      async () => (await db.selectFrom('jobs').select('status').where('idempotency_key', '=', 'daily:rec-broken').executeTakeFirst())?.status === 'failed',
    );
    const job = await db.selectFrom('jobs').selectAll().where('idempotency_key', '=', 'daily:rec-broken').executeTakeFirstOrThrow();
    // No usable track is permanent: failed at once, not retried.
    expect(job).toMatchObject({ status: 'failed', attempts: 1, last_error: expect.stringMatching(/PIPELINE_NO_TRACKS/) });
    const recording = await db.selectFrom('recordings').selectAll().where('platform_recording_id', '=', 'rec-broken').executeTakeFirstOrThrow();
    expect(recording).toMatchObject({ status: 'failed', error: expect.stringMatching(/No track could be processed/) });
    expect(await listKeys(stores.daily, 'acme/broken/')).toEqual([key]);
  });

  it('keeps the raw objects of unreadable tracks (random bytes, zero bytes) and deletes only the verified one; each bad track says why', async () => {
    const mixed = 'acme/mixed/';
    const good = `${mixed}${TRACKS.fromZero.name}`;
    const random = `${mixed}1700000000000-77777777-7777-4777-8777-777777777777-cam-audio-1700000001000`;
    const empty = `${mixed}1700000000000-88888888-8888-4888-8888-888888888888-cam-audio-1700000002000`;
    await upload(good, meeting.paths.fromZero);
    await upload(random, meeting.garbage);
    await stores.daily.put(empty, new Uint8Array(0));
    await enqueueJob(
      t.handle.db,
      PROCESS_MULTITRACK_RECORDING,
      {
        platform: 'daily',
        platformRecordingId: 'rec-mixed',
        bucket: 'daily',
        roomName: 'mixed',
        recordingStartMs: 1_700_000_000_000,
        objects: [good, random, empty].map((key) => ({ key, screenShare: false })),
      },
      { idempotencyKey: 'daily:rec-mixed', maxAttempts: 2 },
    );
    const { db } = t.handle;
    const recordingOf = () => db.selectFrom('recordings').selectAll().where('platform_recording_id', '=', 'rec-mixed').executeTakeFirst();
    await runJobs(async () => (await recordingOf())?.status === 'processed');
    const recording = (await recordingOf())!;
    const tracks = await db
      .selectFrom('tracks')
      .select(['object_key', 'status', 'error'])
      .where('recording_id', '=', recording.id)
      .orderBy('object_key')
      .execute();
    expect(tracks).toEqual(
      [
        { object_key: random, status: 'skipped', error: expect.stringMatching(/^MEDIA_UNREADABLE: /) },
        { object_key: empty, status: 'skipped', error: expect.stringMatching(/^MEDIA_UNREADABLE: .*empty/i) },
        { object_key: good, status: 'rendered', error: null },
      ].sort((a, b) => a.object_key.localeCompare(b.object_key)),
    );
    expect(await listKeys(stores.daily, mixed)).toEqual([random, empty].sort());
  });

  it("finds Daily's event JSON in the recording's folder, places gapless tracks by it, keeps the names, and deletes it with the raw tracks", async () => {
    const folder = 'acme/events-room/';
    const specs: EventTrackSpec[] = [
      {
        participantId: 'aaaaaaaa-1111-4111-8111-111111111111',
        displayName: 'Ann',
        contentType: 'audio/wav',
        track: { name: '', kind: 'wav-gapless', startSec: 0.4, endSec: 6, beepsSec: [2] },
      },
      {
        participantId: 'bbbbbbbb-2222-4222-8222-222222222222',
        displayName: 'Bob',
        contentType: 'audio/wav',
        track: { name: '', kind: 'wav-gapless', startSec: 3.3, endSec: 8, beepsSec: [5] },
      },
    ];
    const names = specs.map((x) => `${mediaBaseName(x)}.wav`);
    const dir = await mkdtemp(join(tmpdir(), 'rt-events-job-'));
    const paths = await syntheticTracks(
      engine,
      specs.map((x, i) => ({ ...x.track, name: names[i]! })),
      dir,
    );
    for (const [i, name] of names.entries()) await upload(folder + name, paths[i]!);
    // Named without the recording's start, beside another recording's log of the same room (which must be left alone).
    const eventKey = `${folder}raw-tracks-events.json`;
    await stores.daily.put(eventKey, new TextEncoder().encode(JSON.stringify(dailyEventJson(specs))));
    const otherKey = `${folder}earlier-events.json`;
    await stores.daily.put(otherKey, new TextEncoder().encode(JSON.stringify(dailyEventJson(specs)).replaceAll('1700000000000', '1600000000000')));
    await enqueueJob(
      t.handle.db,
      PROCESS_MULTITRACK_RECORDING,
      {
        platform: 'daily',
        platformRecordingId: 'rec-events',
        bucket: 'daily',
        roomName: 'events-room',
        recordingStartMs: 1_700_000_000_000,
        objects: names.map((n) => ({ key: folder + n, screenShare: false })),
      },
      { idempotencyKey: 'daily:rec-events', maxAttempts: 2 },
    );
    const { db } = t.handle;
    const recordingOf = () => db.selectFrom('recordings').selectAll().where('platform_recording_id', '=', 'rec-events').executeTakeFirst();
    await runJobs(async () => (await recordingOf())?.status === 'processed');
    const tracks = await db
      .selectFrom('tracks')
      .select(['object_key', 'offset_ms', 'display_name'])
      .where('recording_id', '=', (await recordingOf())!.id)
      .orderBy('offset_ms')
      .execute();
    expect(tracks).toEqual([
      { object_key: folder + names[0], offset_ms: 400, display_name: 'Ann' },
      { object_key: folder + names[1], offset_ms: 3300, display_name: 'Bob' },
    ]);
    expect(await listKeys(stores.daily, folder)).toEqual([otherKey]);
  });

  it("refuses a job naming an object outside its room's folder: nothing fetched, nothing deleted", async () => {
    const foreign = 'acme/other-customer/1700000000000-99999999-9999-4999-8999-999999999999-cam-audio-1700000000209';
    await upload(foreign, meeting.garbage);
    await enqueueJob(
      t.handle.db,
      PROCESS_MULTITRACK_RECORDING,
      { platform: 'daily', platformRecordingId: 'rec-foreign', bucket: 'daily', roomName: 'mine', recordingStartMs: null, objects: [{ key: foreign }] },
      { idempotencyKey: 'daily:rec-foreign', maxAttempts: 1 },
    );
    const { db } = t.handle;
    await runJobs(
      async () => (await db.selectFrom('jobs').select('status').where('idempotency_key', '=', 'daily:rec-foreign').executeTakeFirst())?.status === 'failed',
    );
    const job = await db.selectFrom('jobs').selectAll().where('idempotency_key', '=', 'daily:rec-foreign').executeTakeFirstOrThrow();
    expect(job.last_error).toMatch(/STORAGE_BAD_KEY.*room "mine"/);
    expect(await listKeys(stores.daily, 'acme/other-customer/')).toEqual([foreign]);
  });

  it('discards the outputs of a worker whose lease ran out once the recording is deleted meanwhile: nothing left under its transcript id', async () => {
    const { db } = t.handle;
    const room = 'deleted-meanwhile';
    const key = `acme/${room}/${TRACKS.fromZero.name}`;
    await upload(key, meeting.paths.fromZero);
    const kind = `${PROCESS_MULTITRACK_RECORDING}-deleted-meanwhile`;
    const job = { platform: 'daily' as const, platformRecordingId: `rec-${room}`, bucket: 'daily', roomName: room, recordingStartMs: null, objects: [{ key }] };
    await enqueueRecording(db, kind, job, { maxAttempts: 1 });
    const claimed = (await claimJob(db, 'slow', 60_000, [kind], () => queueHooks(processingHooks)))!;
    const recording = await db.selectFrom('recordings').select('id').where('platform_recording_id', '=', `rec-${room}`).executeTakeFirstOrThrow();
    const transcript = await db.selectFrom('transcripts').select('id').where('recording_id', '=', recording.id).executeTakeFirstOrThrow();
    // After its mixdown is stored, the slow worker's lease runs out on its last attempt, another
    // worker's claim fails the job for good, and the recording is deleted — while it goes on storing.
    const base = stores.transcripts;
    let deletedAfter: string | undefined; // the upload the deletion came before
    const transcripts: ObjectStore = {
      bucket: base.bucket,
      get: (k) => base.get(k),
      head: (k) => base.head(k),
      delete: (k) => base.delete(k),
      list: (p) => base.list(p),
      checkBucket: () => base.checkBucket(),
      presignGet: (k, e) => base.presignGet(k, e),
      put: async (k, body, options) => {
        if (!deletedAfter && k.endsWith('/timeline.json')) {
          deletedAfter = k;
          await db.updateTable('jobs').set({ locked_until: sql`now() - interval '1 second'` }).where('id', '=', claimed.id).execute();
          expect(await claimJob(db, 'other', 60_000, [kind], () => queueHooks(processingHooks))).toBeNull();
          // The deletion lists the transcript's folder now: the mixdown is there, what follows is not yet.
          expect((await deleteRecording(db, stores, recording.id)).objects).toBe(1);
        }
        return base.put(k, body, options);
      },
    };
    const result = await processRecording(
      { db, stores: { ...stores, transcripts }, engine, workDir, trackFormat: 'wav' },
      RecordingJobPayload.parse(claimed.payload),
      {
        job: claimed,
        signal: new AbortController().signal,
        workerId: 'slow',
      },
    );
    expect(deletedAfter).toBe(`${transcript.id}/timeline.json`);
    expect(result.bytesIn).toBe(0);
    expect(await listKeys(stores.transcripts, `${transcript.id}/`)).toEqual([]);
    expect(await db.selectFrom('recordings').select(['status', 'raw_pending']).where('id', '=', recording.id).executeTakeFirst()).toEqual({
      status: 'deleted',
      raw_pending: null,
    });
    expect(await db.selectFrom('tracks').select('id').where('recording_id', '=', recording.id).execute()).toEqual([]);
    expect(await listKeys(stores.daily, `acme/${room}/`)).toEqual([]);
  });
});
