/**
 * An S3 or SQS endpoint that accepts connections and never answers (a TCP proxy in front of the
 * fauxqs emulator, frozen): every call fails on the socket-idle timeout instead of hanging, and a
 * processing job that meets it fails the attempt and is retried — reaching S3 once it answers
 * again. The test clients use a short idle limit; the service's defaults are in aws-timeouts.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createNodeEngine, type NodeEngine } from '../../src/engine/node-engine.ts';
import { enqueueJob } from '../../src/jobs/queue.ts';
import { PROCESS_MULTITRACK_RECORDING } from '../../src/recordings/recording-jobs.ts';
import { consumeSqsOnce } from '../../src/platforms/whereby/sqs-consumer.ts';
import { recordingJobKinds } from '../../src/processing/job-kinds.ts';
import { awsRequestHandler } from '../../src/storage/aws-timeouts.ts';
import { createS3Client, S3ObjectStore } from '../../src/storage/s3-store.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { runJobsUntil } from '../helpers/run-jobs.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { TRACKS } from '../fixtures/meeting.ts';

const IDLE_MS = 300;
const timeouts = { connectTimeoutMs: 1000, socketIdleTimeoutMs: IDLE_MS };
const credentials = { region: 'us-east-1', accessKeyId: 'x', secretAccessKey: 'x' };
let fauxqs: FauxqsServer;
let proxy: TcpProxy;
let direct: S3ObjectStore;
let frozenClient: ReturnType<typeof createS3Client>;
let frozen: S3ObjectStore;

const within = async <T>(what: string, work: Promise<T>, ms: number) => {
  const started = performance.now();
  const outcome = await work.then(
    () => 'answered',
    (error: Error) => error.message,
  );
  const took = performance.now() - started;
  expect(outcome, what).toMatch(/timed out/);
  expect(took, what).toBeLessThan(ms);
  return took;
};

beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, logger: false });
  for (const b of ['transcripts', 'daily', 'whereby']) fauxqs.createBucket(b);
  proxy = await startTcpProxy(fauxqs.port);
  direct = new S3ObjectStore(createS3Client({ ...credentials, endpoint: `http://127.0.0.1:${fauxqs.port}` }), 'daily');
  frozenClient = createS3Client({ ...credentials, endpoint: `http://127.0.0.1:${proxy.port}`, timeouts });
  frozen = new S3ObjectStore(frozenClient, 'daily');
});
afterAll(async () => {
  await proxy?.close();
  await fauxqs?.stop();
});

describe('a frozen endpoint', () => {
  it('fails S3 reads, writes and checks, and SQS receives, on the idle timeout (the SDK retries first)', async () => {
    await direct.put('probe', new TextEncoder().encode('x'));
    proxy.freeze();
    try {
      const sqsDirect = new SQSClient({ ...credentials, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, endpoint: `http://127.0.0.1:${fauxqs.port}` });
      const { QueueUrl } = await sqsDirect.send(new CreateQueueCommand({ QueueName: 'frozen' }));
      const sqs = new SQSClient({
        region: 'us-east-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
        endpoint: `http://127.0.0.1:${proxy.port}`,
        requestHandler: awsRequestHandler(timeouts),
      });
      // At once, each on its own connections (each call is timed by itself): ~1 s in all instead of ~1 s each.
      const tookMs = await Promise.all([
        within('get', frozen.get('probe'), 20_000),
        within('head', frozen.head('probe'), 20_000),
        within('put', frozen.put('big', Readable.from([Buffer.alloc(8 * 1024 * 1024)])), 20_000),
        within('bucket check', frozen.checkBucket(), 20_000),
        within(
          'sqs receive',
          consumeSqsOnce({ db: undefined as never, sqs, queueUrl: QueueUrl!, wherebyBucket: 'whereby', log: () => {}, waitTimeSeconds: 0 }),
          20_000,
        ),
      ]);
      console.log(`frozen endpoint: calls failed after ${tookMs.map((ms) => ms.toFixed(0)).join(', ')} ms (idle limit ${IDLE_MS} ms, SDK retries included)`);
    } finally {
      proxy.thaw();
    }
    // Once it answers again, the same client works.
    expect((await frozen.head('probe'))?.sizeBytes).toBe(1);
  });

  describe('under a processing job', () => {
    let t: TestDatabase;
    let engine: NodeEngine;
    let workDir: string;
    beforeAll(async () => {
      t = await createTestDatabase('postgres');
      await migrateToLatest(t.handle.db);
      engine = await createNodeEngine({ workers: 1 });
      workDir = await mkdtemp(join(tmpdir(), 'rt-frozen-'));
    });
    afterAll(async () => {
      await engine?.close();
      await t?.drop();
      await rm(workDir, { recursive: true, force: true });
    });

    it('fails the attempt and retries the job; the next attempt reaches S3', async () => {
      const { db } = t.handle;
      const key = `acme/frozen/${TRACKS.fromZero.name}`;
      await direct.put(key, new TextEncoder().encode('not audio'));
      const stores = { daily: frozen, transcripts: new S3ObjectStore(frozenClient, 'transcripts'), whereby: new S3ObjectStore(frozenClient, 'whereby') };
      const handlers = recordingJobKinds({ db, stores, engine, workDir, trackFormat: 'wav' });
      const payload = {
        platform: 'daily' as const,
        platformRecordingId: 'rec-frozen',
        bucket: 'daily',
        roomName: 'frozen',
        recordingStartMs: 1_700_000_000_000,
        objects: [{ key, screenShare: false }],
      };
      await enqueueJob(db, PROCESS_MULTITRACK_RECORDING, payload, { idempotencyKey: 'daily:rec-frozen', maxAttempts: 5 });
      const job = () =>
        db.selectFrom('jobs').select(['status', 'attempts', 'last_error']).where('idempotency_key', '=', 'daily:rec-frozen').executeTakeFirstOrThrow();
      proxy.freeze();
      let firstError = '';
      try {
        await runJobsUntil(db, handlers, async () => {
          const j = await job();
          if (j.attempts >= 1 && j.status === 'queued') firstError = j.last_error ?? '';
          return firstError !== '';
        });
      } finally {
        proxy.thaw();
      }
      expect(firstError).toMatch(/timed out/);
      await runJobsUntil(db, handlers, async () => !['queued', 'running'].includes((await job()).status));
      const end = await job();
      console.log(`frozen S3 under a job: attempt 1 "${firstError.slice(0, 120)}"; ended ${end.status} after ${end.attempts} attempts: ${end.last_error}`);
      expect(end.attempts).toBeGreaterThanOrEqual(2);
      // The retry got the object (it is not audio, so the media step refuses it), not another timeout.
      expect(end.last_error ?? '').not.toMatch(/timed out/);
    });
  });
});
