/**
 * `reflector-tracks doctor` against real parts: PostgreSQL, the S3/SQS emulator (fauxqs) behind
 * a stand-in that answers the bucket notification call fauxqs lacks, and stand-ins of Daily,
 * Whereby and a transcriber. Everything set up right passes; then one thing is broken at a time
 * and exactly the checks that depend on it fail, each with its fix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { loadServiceConfig } from '../../src/config/service-config.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { CHECK_NAMES, runDoctor } from '../../src/doctor/doctor.ts';
import { ADMIN_SOCKET_NAME, listenAdminSocket } from '../../src/server/admin-socket.ts';
import { testApp } from '../helpers/app.ts';
import { emulatedStorageEnv, listKeys } from '../helpers/emulated-stores.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { startPlatformStandIns, startS3Front, type NotificationState, type PlatformState } from '../helpers/doctor-stand-ins.ts';
import { createS3Client, S3ObjectStore } from '../../src/storage/s3-store.ts';

const PUBLIC_URL = 'https://tracks.example.com';
let t: TestDatabase;
let fresh: TestDatabase;
let fauxqs: FauxqsServer;
let s3Front: Awaited<ReturnType<typeof startS3Front>>;
let platforms: Awaited<ReturnType<typeof startPlatformStandIns>>;
let env: Record<string, string>;
let queueArn: string;
const notifications: NotificationState = { queueConfigurations: [] };
const state: PlatformState = { dailyKey: 'daily-key', dailyWebhooks: [], wherebyKey: 'whereby-key', transcriber: 'up' };

beforeAll(async () => {
  [t, fresh] = await Promise.all([createTestDatabase('postgres'), createTestDatabase('postgres')]);
  await migrateToLatest(t.handle.db);
  fauxqs = await startFauxqs({ port: 0, logger: false });
  for (const b of ['transcripts', 'daily', 'whereby']) fauxqs.createBucket(b);
  const queue = fauxqs.createQueue('whereby-recordings');
  queueArn = queue.queueArn;
  notifications.queueConfigurations = [{ queueArn, events: ['s3:ObjectCreated:*'] }];
  s3Front = await startS3Front(fauxqs.port, () => ['transcripts', 'daily', 'whereby'], notifications);
  platforms = await startPlatformStandIns(state);
  state.dailyWebhooks = [{ uuid: 'w-1', url: `${PUBLIC_URL}/v1/daily/webhook`, state: 'ACTIVE' }];
  const client = createS3Client({ region: 'us-east-1', accessKeyId: 'x', secretAccessKey: 'x', endpoint: s3Front.url });
  await new S3ObjectStore(client, 'daily').put('acme/room/1700000000000-p-cam-audio-1700000000100', new Uint8Array([1, 2, 3]));
  client.destroy();
  env = {
    DATABASE_URL: t.url!,
    DATA_DIR: await mkdtemp(join(tmpdir(), 'rt-doctor-')),
    PUBLIC_URL,
    ...emulatedStorageEnv(s3Front.url),
    DAILY_API_KEY: 'daily-key',
    DAILY_API_URL: platforms.daily,
    DAILY_WEBHOOK_SECRET: Buffer.from('a daily webhook secret').toString('base64'),
    DAILYCO_STORAGE_AWS_REGION: 'eu-west-1',
    DAILYCO_STORAGE_AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/DailyRecordingsWriter',
    WHEREBY_API_KEY: 'whereby-key',
    WHEREBY_API_URL: platforms.whereby,
    WHEREBY_WEBHOOK_SECRET: 'a whereby webhook secret',
    WHEREBY_STORAGE_AWS_ACCESS_KEY_ID: 'AKIAWHEREBY',
    WHEREBY_STORAGE_AWS_SECRET_ACCESS_KEY: 'whereby-upload-secret',
    AWS_PROCESS_RECORDING_QUEUE_URL: queue.queueUrl,
    SQS_ENDPOINT_URL: `http://127.0.0.1:${fauxqs.port}`,
    TRANSCRIPTION_API_URL: platforms.transcriber,
    OBJECT_URL_SECRET: 'an object url secret of at least thirty-two bytes',
  };
});
afterAll(async () => {
  await platforms?.close();
  await s3Front?.close();
  await fauxqs?.stop();
  await Promise.all([t?.drop(), fresh?.drop()]);
  if (env?.DATA_DIR) await rm(env.DATA_DIR, { recursive: true, force: true });
});

const bin = fileURLToPath(new URL('../../bin/reflector-tracks.mjs', import.meta.url));
const cli = (environment: Record<string, string | undefined>, ...args: string[]) =>
  new Promise<{ code: number; stdout: string }>((done) =>
    execFile(process.execPath, [bin, 'doctor', ...args], { env: { PATH: process.env.PATH, ...environment } }, (error, stdout) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout }),
    ),
  );

const doctor = async (overrides: Record<string, string | undefined> = {}, timeoutMs = 20_000) => {
  const merged = { ...env, ...overrides };
  const rows = await runDoctor(loadServiceConfig(merged), { publicUrl: merged.PUBLIC_URL!, timeoutMs });
  return { rows, failed: rows.filter((r) => !r.ok).map((r) => r.name) };
};

describe('reflector-tracks doctor', () => {
  it('passes every check of a working set-up, from the CLI with --json (exit 0), leaving no probe behind', async () => {
    const run = await cli(env, '--json');
    const report = JSON.parse(run.stdout);
    expect(report.checks.filter((c: { ok: boolean }) => !c.ok)).toEqual([]);
    expect(run.code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c: { name: string }) => c.name)).toEqual([...CHECK_NAMES]);
    for (const c of report.checks) expect(Object.keys(c)).toEqual(['name', 'ok', 'detail', 'fix']);
    expect(report.checks.find((c: { name: string }) => c.name === 'bucket:daily').detail).toContain('read');
    const client = createS3Client({ region: 'us-east-1', accessKeyId: 'x', secretAccessKey: 'x', endpoint: s3Front.url });
    expect(await listKeys(new S3ObjectStore(client, 'transcripts'), '.doctor/')).toEqual([]);
    client.destroy();
  });

  it('prints one row per check with ✓ or ✗ and the fix, and exits 1 on any ✗', async () => {
    const run = await cli({ ...env, WHEREBY_API_KEY: 'wrong' });
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    for (const name of CHECK_NAMES)
      expect(
        lines.filter((l) => new RegExp(`^[✓✗] ${name} `).test(l)),
        name,
      ).toHaveLength(1);
    const failedRow = lines.findIndex((l) => l.startsWith('✗ whereby:api'));
    expect(lines[failedRow]).toContain('refused the key (401)');
    expect(lines[failedRow + 1]).toMatch(/^\s+fix: set WHEREBY_API_KEY/);
    expect(lines.filter((l) => l.startsWith('✗'))).toHaveLength(1);
  });

  it('answers a configuration the service would refuse with one ✗ row naming the variable, as JSON too', async () => {
    const run = await cli({ ...env, DAILY_WEBHOOK_SECRET: '====' }, '--json');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ ok: false, checks: [{ name: 'configuration', ok: false, fix: expect.any(String) }] });
    expect(report.checks[0].detail).toContain('DAILY_WEBHOOK_SECRET');
  });

  it('fails exactly the checks that depend on the one thing broken, each with a fix', async () => {
    const cases: Array<[string, () => Promise<Awaited<ReturnType<typeof doctor>>>, string[]]> = [
      ['a missing Daily bucket', () => doctor({ DAILYCO_STORAGE_AWS_BUCKET_NAME: 'no-such-daily' }), ['bucket:daily']],
      ['a missing transcript bucket', () => doctor({ TRANSCRIPT_STORAGE_AWS_BUCKET_NAME: 'no-such-transcripts' }), ['bucket:transcripts']],
      ['an unreachable database', () => doctor({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' }), ['database', 'migrations']],
      ['a database not migrated', () => doctor({ DATABASE_URL: fresh.url }), ['migrations']],
      ['a malformed role ARN', () => doctor({ DAILYCO_STORAGE_AWS_ROLE_ARN: 'arn:aws:iam::12345:user/me' }), ['daily:role']],
      ['a Daily webhook pointing elsewhere', () => doctor({ PUBLIC_URL: 'https://elsewhere.example.com' }), ['daily:webhook']],
      ['a refused Daily key', () => doctor({ DAILY_API_KEY: 'wrong' }), ['daily:api', 'daily:webhook']],
      ['a refused Whereby key', () => doctor({ WHEREBY_API_KEY: 'wrong' }), ['whereby:api']],
    ];
    for (const [what, run, expected] of cases) {
      const { rows, failed } = await run();
      expect(failed, what).toEqual(expected);
      for (const row of rows.filter((r) => !r.ok)) expect(row.fix, `${what}: ${row.name}`).toBeTruthy();
    }
  });

  it('tells a bucket that does not notify the queue, a failed Daily webhook, a transcriber down or frozen (time limit)', async () => {
    notifications.queueConfigurations = [{ queueArn: 'arn:aws:sqs:us-east-1:000000000000:other', events: ['s3:ObjectCreated:*'] }];
    let report = await doctor();
    expect(report.failed).toEqual(['whereby:notifications']);
    expect(report.rows.find((r) => r.name === 'whereby:notifications')!.fix).toContain(queueArn);
    notifications.queueConfigurations = [{ queueArn, events: ['s3:ObjectRemoved:*'] }];
    expect((await doctor()).failed).toEqual(['whereby:notifications']);
    notifications.queueConfigurations = [{ queueArn, events: ['s3:ObjectCreated:Put', 's3:ObjectCreated:CompleteMultipartUpload'] }];
    expect((await doctor()).failed).toEqual([]);

    state.dailyWebhooks[0]!.state = 'FAILED';
    report = await doctor();
    expect(report.failed).toEqual(['daily:webhook']);
    expect(report.rows.find((r) => r.name === 'daily:webhook')!.fix).toContain('/webhooks/w-1');
    state.dailyWebhooks[0]!.state = 'ACTIVE';

    state.transcriber = 'down';
    expect((await doctor()).failed).toEqual(['transcription']);
    state.transcriber = 'hangs';
    const started = Date.now();
    report = await doctor({}, 3000);
    // Only the frozen one is asserted: on a loaded machine another check may also pass its 3 s.
    expect(report.rows.find((r) => r.name === 'transcription')).toMatchObject({ ok: false, detail: 'no answer within 3 s' });
    expect(Date.now() - started).toBeLessThan(30_000);
    state.transcriber = 'up';
  });

  it('asks a running service through its admin socket when it holds the embedded database', async () => {
    for (const [db, failed] of [
      [t, []],
      [fresh, ['migrations']],
    ] as const) {
      const dataDir = await mkdtemp(join(tmpdir(), 'rt-doctor-socket-'));
      const { app } = await testApp(db.handle.db, {}, { keys: false });
      const socket = await listenAdminSocket(join(dataDir, ADMIN_SOCKET_NAME), app);
      try {
        const report = await doctor({ DATABASE_URL: undefined, DATA_DIR: dataDir });
        expect(report.failed).toEqual(failed);
        expect(report.rows.find((r) => r.name === 'database')!.detail).toContain('admin socket');
      } finally {
        await socket.close();
        await rm(dataDir, { recursive: true, force: true });
      }
    }
  });

  it('passes what is not configured, saying so', async () => {
    const { rows, failed } = await doctor({
      DAILY_API_KEY: undefined,
      DAILY_WEBHOOK_SECRET: undefined,
      DAILYCO_STORAGE_AWS_REGION: undefined,
      DAILYCO_STORAGE_AWS_ROLE_ARN: undefined,
      WHEREBY_API_KEY: undefined,
      WHEREBY_WEBHOOK_SECRET: undefined,
      WHEREBY_STORAGE_AWS_ACCESS_KEY_ID: undefined,
      WHEREBY_STORAGE_AWS_SECRET_ACCESS_KEY: undefined,
      AWS_PROCESS_RECORDING_QUEUE_URL: undefined,
      TRANSCRIPTION_API_URL: undefined,
    });
    expect(failed).toEqual([]);
    const skipped = rows.filter((r) => r.detail.startsWith('not checked')).map((r) => r.name);
    expect(skipped).toEqual([
      'bucket:daily',
      'bucket:whereby',
      'whereby:notifications',
      'queue',
      'daily:api',
      'daily:webhook',
      'daily:role',
      'whereby:api',
      'transcription',
    ]);
  });
});
