/**
 * The words as a job of their own, on real parts (PostgreSQL, the S3 emulator, the wasm pipeline,
 * the job worker, a stand-in transcriber that derives words from the audio): queued with the
 * audio's commit, stored beside it, served by the API; a transcriber that keeps failing leaves the
 * audio ready and the raw-deletion rules as they are, and the words can be asked for again without
 * reprocessing.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FauxqsServer } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { sharedEngine } from '../helpers/shared-engine.ts';
import { sql } from 'kysely';
import { PROCESS_MULTITRACK_RECORDING, TRANSCRIBE_RECORDING, TranscribeJobPayload } from '../../src/recordings/recording-jobs.ts';
import { enqueueJob } from '../../src/jobs/queue.ts';
import { claimJob } from '../../src/jobs/lease.ts';
import { transcribeRecording } from '../../src/processing/transcribe-recording.ts';
import { deleteRecording } from '../../src/recordings/delete-recording.ts';
import { queueHooks } from '../../src/jobs/job-kind.ts';
import { requestTranscription, transcriptionHooks } from '../../src/recordings/transcription-states.ts';
import type { ObjectStore } from '../../src/storage/object-store.ts';
import { recordingJobKinds } from '../../src/processing/job-kinds.ts';
import type { Stores } from '../../src/storage/open-stores.ts';
import type { Transcript } from '../../src/transcription/transcript.ts';
import { createTranscriber } from '../../src/transcription/transcriber.ts';
import { ALICE, BOB } from '../fixtures/meeting.ts';
import { testApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { runJobsUntil } from '../helpers/run-jobs.ts';
import { listKeys, readObject, startEmulatedStores } from '../helpers/emulated-stores.ts';
import { writeSpeechTrack, type SpeechTrack } from '../helpers/speech-meeting.ts';
import { startTranscriberStandIn, type StandIn, type StandInOptions } from '../helpers/transcriber-server.ts';

let fauxqs: FauxqsServer;
let engine: Engine;
let t: TestDatabase;
let stores: Stores;
let workDir: string;
let tracks: SpeechTrack[];
let server: StandIn;
const serverOptions: StandInOptions = {};
const prefix = 'acme/standup/';

const readText = async (key: string) => (await readObject(stores.transcripts, key)).toString('utf8');

beforeAll(async () => {
  ({ fauxqs, stores } = await startEmulatedStores());
  engine = await sharedEngine();
  t = await createTestDatabase('postgres');
  await migrateToLatest(t.handle.db);
  workDir = await mkdtemp(join(tmpdir(), 'rt-words-'));
  tracks = await Promise.all([
    writeSpeechTrack(
      engine,
      {
        participantId: ALICE,
        startSec: 0.3,
        endSec: 14,
        noiseDb: -60,
        utterances: [
          { clip: 'm1.ogg', atSec: 1 },
          { clip: 'm3.ogg', atSec: 9 },
        ],
      },
      workDir,
    ),
    writeSpeechTrack(engine, { participantId: BOB, startSec: 1, endSec: 12, noiseDb: -60, utterances: [{ clip: 'f2.ogg', atSec: 4.5 }] }, workDir),
  ]);
  server = await startTranscriberStandIn(serverOptions);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await t?.drop();
  await fauxqs?.stop();
});

/** Runs the worker (processing and words) until `until` holds. */
const runJobs = (until: () => Promise<boolean>) =>
  runJobsUntil(
    t.handle.db,
    recordingJobKinds({
      db: t.handle.db,
      stores,
      engine,
      workDir,
      transcriber: createTranscriber({ apiUrl: server.url, maxRetries: 0 }),
      transcribe: { maxAttempts: 2 },
    }),
    until,
  );

const process = async (id: string) => {
  for (const track of tracks)
    await stores.daily.put(
      prefix +
        track.path
          .split('/')
          .pop()!
          .replace(/\.webm$/, ''),
      createReadStream(track.path),
    );
  await enqueueJob(
    t.handle.db,
    PROCESS_MULTITRACK_RECORDING,
    {
      platform: 'daily',
      platformRecordingId: id,
      bucket: 'daily',
      roomName: 'standup',
      recordingStartMs: 1_700_000_000_000,
      objects: tracks.map((x) => ({
        key:
          prefix +
          x.path
            .split('/')
            .pop()!
            .replace(/\.webm$/, ''),
      })),
    },
    { maxAttempts: 3 },
  );
  const transcript = async () =>
    t.handle.db
      .selectFrom('transcripts')
      .innerJoin('recordings', 'recordings.id', 'transcripts.recording_id')
      .selectAll('transcripts')
      .select('recordings.status as recordingStatus')
      .where('recordings.platform_recording_id', '=', id)
      .executeTakeFirst();
  await runJobs(async () => {
    const row = await transcript();
    return row?.recordingStatus === 'processed' && (row.transcription_status === 'ready' || row.transcription_status === 'failed');
  });
  const found = await transcript();
  if (!found) throw new Error(`no transcript: ${JSON.stringify(await t.handle.db.selectFrom('jobs').select(['kind', 'status', 'last_error']).execute())}`);
  return found;
};

describe('the transcription job', () => {
  it('stores the words beside the audio, and the API returns the segments', async () => {
    serverOptions.fail500 = false;
    const row = await process('rec-words-1');
    expect(row).toMatchObject({ status: 'ready', transcription_status: 'ready', transcription_error: null, language: 'en', word_count: 3 });
    expect(await listKeys(stores.transcripts, row.id)).toEqual(
      expect.arrayContaining(['transcript.json', 'transcript.vtt', 'transcript.srt', 'transcript.txt'].map((f) => `${row.id}/${f}`)),
    );
    const words = JSON.parse(await readText(`${row.id}/transcript.json`)) as Transcript;
    const utterances = tracks
      .flatMap((x, i) => x.utterances.map((u) => ({ ...u, participantId: i === 0 ? ALICE : BOB })))
      .sort((a, b) => a.startMs - b.startMs);
    expect(words.words.map((w) => w.participantId)).toEqual(utterances.map((u) => u.participantId));
    for (const [i, w] of words.words.entries()) expect(Math.abs(w.startMs - utterances[i]!.startMs)).toBeLessThanOrEqual(100);
    expect((await readText(`${row.id}/transcript.vtt`)).startsWith('WEBVTT')).toBe(true);

    const { app, as } = await testApp(t.handle.db, { stores, transcription: true });
    const answer = await app.request(`/v1/transcripts/${row.id}`, { headers: as('admin') });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { transcription: { status: string; wordCount: number }; segments: Array<{ speaker: string; startMs: number }> };
    expect(body.transcription).toMatchObject({ status: 'ready', wordCount: 3, language: 'en' });
    expect(body.segments.map((s) => s.speaker)).toEqual(['Speaker 1', 'Speaker 2', 'Speaker 1']);
    // The inspector's route serves the words.
    const recordingId = (await t.handle.db.selectFrom('recordings').select('id').where('platform_recording_id', '=', 'rec-words-1').executeTakeFirstOrThrow())
      .id;
    const served = await app.request(`/v1/recordings/${recordingId}/transcript`, { headers: as('admin') });
    expect(((await served.json()) as Transcript).words).toHaveLength(3);
  });

  it('keeps the audio ready and deletes the raw tracks as usual when the transcriber keeps failing; the words can be asked for again', async () => {
    serverOptions.fail500 = true;
    const row = await process('rec-words-2');
    expect(row).toMatchObject({ status: 'ready', transcription_status: 'failed' });
    expect(row.audio_key).toBe(`${row.id}/audio.mp3`);
    expect(row.transcription_error).toMatch(/TRANSCRIPTION_FAILED|HTTP 500/);
    expect(await listKeys(stores.daily, prefix)).toEqual([]);
    expect((await listKeys(stores.transcripts, row.id)).some((k) => k.endsWith('transcript.json'))).toBe(false);

    const { app, as } = await testApp(t.handle.db, { stores, transcription: true });
    expect((await app.request(`/v1/transcripts/${row.id}/transcribe`, { method: 'POST', headers: as('read') })).status).toBe(403);
    serverOptions.fail500 = false;
    // A discovered meeting is the admins' until assigned to an owner (issue 11).
    const again = await app.request(`/v1/transcripts/${row.id}/transcribe`, { method: 'POST', headers: as('admin') });
    expect(again.status).toBe(202);
    const busy = await app.request(`/v1/transcripts/${row.id}/transcribe`, { method: 'POST', headers: as('admin') });
    expect(busy.status).toBe(409);
    const status = async () =>
      await t.handle.db.selectFrom('transcripts').select(['transcription_status', 'word_count']).where('id', '=', row.id).executeTakeFirstOrThrow();
    await runJobs(async () => (await status()).transcription_status === 'ready');
    expect(await status()).toEqual({ transcription_status: 'ready', word_count: 3 });
    const { app: without, as: asWithout } = await testApp(t.handle.db, { stores });
    expect((await without.request(`/v1/transcripts/${row.id}/transcribe`, { method: 'POST', headers: asWithout('admin') })).status).toBe(503);
  });

  it('discards the words of a worker whose lease ran out once the recording is deleted meanwhile: nothing left under the transcript id', async () => {
    serverOptions.fail500 = false;
    const row = await process('rec-words-3');
    const { db } = t.handle;
    await db.transaction().execute((tx) => requestTranscription(tx, row.id, 1));
    const claimed = (await claimJob(db, 'slow', 60_000, [TRANSCRIBE_RECORDING], () => queueHooks(transcriptionHooks)))!;
    // Before the words are stored, the slow worker's lease runs out on its last attempt, another
    // worker's claim fails the job for good, and the recording is deleted — while it goes on storing.
    const base = stores.transcripts;
    let deletedBefore: string | undefined;
    const transcripts: ObjectStore = {
      bucket: base.bucket,
      get: (k) => base.get(k),
      head: (k) => base.head(k),
      delete: (k) => base.delete(k),
      list: (p) => base.list(p),
      checkBucket: () => base.checkBucket(),
      presignGet: (k, e) => base.presignGet(k, e),
      put: async (k, body, options) => {
        if (!deletedBefore) {
          deletedBefore = k;
          await db.updateTable('jobs').set({ locked_until: sql`now() - interval '1 second'` }).where('id', '=', claimed.id).execute();
          expect(await claimJob(db, 'other', 60_000, [TRANSCRIBE_RECORDING], () => queueHooks(transcriptionHooks))).toBeNull();
          const recordingId = (await db.selectFrom('recordings').select('id').where('platform_recording_id', '=', 'rec-words-3').executeTakeFirstOrThrow()).id;
          await deleteRecording(db, stores, recordingId);
        }
        return base.put(k, body, options);
      },
    };
    const transcriber = createTranscriber({ apiUrl: server.url, maxRetries: 0 });
    await transcribeRecording({ db, stores: { ...stores, transcripts }, engine, workDir, transcriber }, TranscribeJobPayload.parse(claimed.payload), {
      signal: new AbortController().signal,
    });
    expect(deletedBefore).toBe(`${row.id}/transcript.json`);
    expect(await listKeys(stores.transcripts, `${row.id}/`)).toEqual([]);
    expect(await db.selectFrom('transcripts').select('id').where('id', '=', row.id).execute()).toEqual([]);
  });
});
