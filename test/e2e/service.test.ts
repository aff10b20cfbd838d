/**
 * End to end with the real service: HTTP server and job workers (startService), real PostgreSQL,
 * fauxqs for S3 (three buckets) and SQS, a local HTTP server following Daily's recordings API,
 * and the real wasm pipeline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadStream } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { loadServiceConfig } from '../../src/config/service-config.ts';
import { startService, type Service } from '../../src/server/service.ts';
import { signDaily } from '../../src/platforms/daily/signature.ts';
import { createNodeEngine, type NodeEngine } from '../../src/engine/node-engine.ts';
import { fixtureMeeting, type FixtureMeeting } from '../helpers/fixture-meeting.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { decodeToPcm } from '../helpers/decode.ts';
import { firstSoundMs } from '../helpers/wav.ts';
import { TRACKS, WHEREBY_MP4 } from '../fixtures/meeting.ts';
import { waitUntil } from '../helpers/wait.ts';
import { emulatedStorageEnv } from '../helpers/emulated-stores.ts';

const SECRET = Buffer.from('e2e-daily-secret').toString('base64');
const PREFIX = 'acme/standup/';
const FILES = [TRACKS.lateJoiner, TRACKS.fromZero, TRACKS.lostPackets];
let fauxqs: FauxqsServer;
let daily: Server;
let service: Service;
let t: TestDatabase;
let engine: NodeEngine;
let meeting: FixtureMeeting;
let queueUrl: string;
let dir: string;
let dailyRecordings: unknown[] = [];
/** When the Daily stand-in answered each list request, and the service's log (with when each line came). */
const dailyRequestsAt: number[] = [];
const logs: Array<Record<string, unknown> & { at: number }> = [];

const event = (id: string) => ({
  version: '1.0.0',
  type: 'recording.ready-to-download',
  id,
  event_ts: Date.now() / 1000,
  payload: {
    type: 'raw-tracks',
    recording_id: 'e2e-rec-1',
    room_name: 'standup',
    start_ts: 1_700_000_000,
    status: 'finished',
    duration: 20,
    s3_key: `${PREFIX}1700000000000`,
    tracks: [...FILES.map((f) => ({ type: 'audio', s3Key: PREFIX + f.name, size: 1 })), { type: 'video', s3Key: PREFIX + TRACKS.videoOnly.name, size: 1 }],
  },
});
const postWebhook = (body: unknown, secret = SECRET) => {
  const raw = JSON.stringify(body);
  const ts = String(Math.floor(Date.now() / 1000));
  return fetch(new URL('/v1/daily/webhook', service.url!), {
    method: 'POST',
    body: raw,
    headers: { 'x-webhook-timestamp': ts, 'x-webhook-signature': signDaily(new TextEncoder().encode(raw), ts, secret) },
  });
};
const E2E_WAIT = { timeoutMs: 90_000, intervalMs: 100 };
const download = async (key: string) => {
  const { body } = await service.stores.transcripts.get(key);
  const parts: Buffer[] = [];
  for await (const p of body as Readable) parts.push(p as Buffer);
  const path = join(dir, key.replace(/\//g, '_'));
  await writeFile(path, Buffer.concat(parts));
  return path;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rt-e2e-'));
  // Decodes the outputs, one at a time: one worker (the service runs its own engine).
  engine = await createNodeEngine({ workers: 1 });
  meeting = await fixtureMeeting();
  fauxqs = await startFauxqs({ port: 0, logger: false });
  for (const b of ['transcripts', 'daily-raw', 'whereby-raw']) fauxqs.createBucket(b);
  queueUrl = fauxqs.createQueue('whereby-events').queueUrl;
  daily = createServer((req, res) => {
    if (req.headers.authorization !== 'Bearer daily-key') return void res.writeHead(401).end();
    dailyRequestsAt.push(Date.now());
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(
        JSON.stringify({ total_count: dailyRecordings.length, data: new URL(req.url!, 'http://x').searchParams.get('starting_after') ? [] : dailyRecordings }),
      );
  });
  await new Promise<void>((r) => daily.listen(0, '127.0.0.1', r));
  t = await createTestDatabase('postgres');
  const endpoint = `http://127.0.0.1:${fauxqs.port}`;
  const config = loadServiceConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dir,
    DATABASE_URL: t.url,
    ...emulatedStorageEnv(endpoint, { daily: 'daily-raw', whereby: 'whereby-raw' }),
    DAILY_WEBHOOK_SECRET: SECRET,
    DAILY_API_KEY: 'daily-key',
    DAILY_API_URL: `http://127.0.0.1:${(daily.address() as { port: number }).port}/v1`,
    DAILY_POLL_INTERVAL_SECONDS: '5',
    AWS_PROCESS_RECORDING_QUEUE_URL: queueUrl,
    SQS_ENDPOINT_URL: endpoint,
    TRACK_FORMAT: 'wav',
    ENGINE_WORKERS: '2',
    WORKER_CONCURRENCY: '2',
    JOB_MAX_ATTEMPTS: '2',
    JOB_RETRY_BASE_SECONDS: '0.2',
    JOB_POLL_SECONDS: '0.1',
  });
  service = await startService(config, { web: true, workers: true, log: (e) => logs.push({ ...e, at: Date.now() }) });
});
afterAll(async () => {
  await service?.stop();
  await engine?.close();
  daily?.close();
  await fauxqs?.stop();
  await t?.drop();
});

describe('the service', () => {
  it('rejects a badly signed webhook with 401 and enqueues nothing', async () => {
    expect((await postWebhook(event('e2e-bad'), Buffer.from('nope').toString('base64'))).status).toBe(401);
    expect(await service.db.db.selectFrom('jobs').select('id').execute()).toEqual([]);
  });

  it('turns a signed Daily webhook (sent 5 times, while the poller sees the same recording) into one transcript with speech in place and the raw tracks gone', async () => {
    for (const f of [...FILES, TRACKS.videoOnly]) {
      const key = Object.entries(TRACKS).find(([, v]) => v === f)![0] as keyof typeof TRACKS;
      await service.stores.daily.put(PREFIX + f.name, createReadStream(meeting.paths[key]));
    }
    const started = Date.now();
    dailyRecordings = [{ ...event('x').payload, id: 'e2e-rec-1' }];
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => postWebhook(event(i < 3 ? 'e2e-ev-1' : `e2e-ev-${i}`))));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    const { db } = service.db;
    await waitUntil(
      'the recording processed',
      async () => (await db.selectFrom('recordings').select('status').executeTakeFirst())?.status === 'processed',
      E2E_WAIT,
    );
    expect(Date.now() - started).toBeLessThan(60_000);
    // One more poll, begun after processing finished: the poller lists the processed recording again.
    const processedAt = Date.now();
    await waitUntil(
      'a poll pass begun after processing, and finished',
      () => {
        const begun = dailyRequestsAt.find((at) => at >= processedAt);
        return begun !== undefined && logs.some((l) => l.msg === 'daily poll' && l.at >= begun);
      },
      E2E_WAIT,
    );
    expect(await db.selectFrom('transcripts').select('id').execute()).toHaveLength(1);
    expect(await db.selectFrom('jobs').select(['kind', 'status']).execute()).toEqual([{ kind: 'process_multitrack_recording', status: 'succeeded' }]);
    const transcript = await db.selectFrom('transcripts').selectAll().executeTakeFirstOrThrow();
    const mix = await decodeToPcm(engine, await download(`${transcript.id}/audio.mp3`));
    for (const f of FILES) for (const beep of f.beepsSec) expect(Math.abs(firstSoundMs(mix, 16000, beep * 1000 - 400)! - beep * 1000)).toBeLessThanOrEqual(20);
    const raw: string[] = [];
    for await (const o of service.stores.daily.list(PREFIX)) raw.push(o.key);
    expect(raw).toEqual([PREFIX + TRACKS.videoOnly.name]);
    const metrics = await (await fetch(new URL('/metrics', service.url!))).text();
    expect(Number(/reflector_bytes_processed_total\{platform="daily"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(50_000);
    expect(metrics).toMatch(/reflector_processing_seconds_count\{platform="daily",outcome="ok"\} 1/);
    expect(metrics).toMatch(/reflector_jobs\{state="succeeded"\} 1/);
  });

  it('turns an S3 event for a Whereby MP4 into a transcript', async () => {
    const key = 'teamsync-2f1c0a5e-4d1b-4a0e-9b1a-0c2f3e4d5a6b-2026-11-29T09:00:00Z.mp4';
    await service.stores.whereby.put(key, createReadStream(meeting.whereby));
    const sqs = new SQSClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${fauxqs.port}`, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const encoded = encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify({
          Records: [{ eventVersion: '2.1', eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'whereby-raw' }, object: { key: encoded, size: 1 } } }],
        }),
      }),
    );
    const { db } = service.db;
    await waitUntil(
      'the Whereby recording processed',
      async () => (await db.selectFrom('recordings').select('status').where('platform', '=', 'whereby').executeTakeFirst())?.status === 'processed',
      E2E_WAIT,
    );
    const recording = await db.selectFrom('recordings').selectAll().where('platform', '=', 'whereby').executeTakeFirstOrThrow();
    const transcript = await db.selectFrom('transcripts').selectAll().where('recording_id', '=', recording.id).executeTakeFirstOrThrow();
    const meetingRow = await db.selectFrom('meetings').selectAll().where('id', '=', recording.meeting_id!).executeTakeFirstOrThrow();
    expect(meetingRow).toMatchObject({
      platform: 'whereby',
      room_name: 'teamsync-2f1c0a5e-4d1b-4a0e-9b1a-0c2f3e4d5a6b',
      start_at: new Date('2026-11-29T09:00:00Z'),
    });
    const mix = await decodeToPcm(engine, await download(transcript.audio_key!));
    for (const beep of WHEREBY_MP4.beepsSec!) expect(Math.abs(firstSoundMs(mix, 16000, beep * 1000 - 400)! - beep * 1000)).toBeLessThanOrEqual(20);
    expect(await service.stores.whereby.head(key)).toBeNull();
  });

  it('fails a recording whose track is corrupt at once (permanent), keeping the raw object', async () => {
    const key = `acme/broken/1700000000000-99999999-9999-4999-8999-999999999999-cam-audio-1700000000209`;
    await service.stores.daily.put(key, createReadStream(meeting.garbage));
    const broken = event('e2e-broken');
    broken.payload = {
      ...broken.payload,
      recording_id: 'e2e-broken',
      room_name: 'broken',
      s3_key: 'acme/broken/1700000000000',
      tracks: [{ type: 'audio', s3Key: key, size: 1 }],
    };
    expect((await postWebhook(broken)).status).toBe(200);
    const { db } = service.db;
    await waitUntil(
      'the broken recording failed',
      async () =>
        (await db.selectFrom('recordings').select('status').where('platform_recording_id', '=', 'e2e-broken').executeTakeFirst())?.status === 'failed',
      E2E_WAIT,
    );
    const job = await db.selectFrom('jobs').selectAll().where('idempotency_key', '=', 'daily:e2e-broken').executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'failed', attempts: 1, last_error: expect.stringMatching(/PIPELINE_NO_TRACKS/) }); // permanent: not retried
    expect(
      await db
        .selectFrom('transcripts')
        .innerJoin('recordings', 'recordings.id', 'transcripts.recording_id')
        .select('transcripts.status')
        .where('recordings.platform_recording_id', '=', 'e2e-broken')
        .executeTakeFirst(),
    ).toEqual({ status: 'failed' });
    expect(await service.stores.daily.head(key)).not.toBeNull();
  });
});
