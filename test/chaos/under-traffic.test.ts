/**
 * Database connections dropped under traffic, as a failover does: 240 signed Daily deliveries at
 * ~80 per second while every connection of the service is terminated twice
 * (`pg_terminate_backend`), on `serve` and on a `worker` beside it claiming the jobs those
 * deliveries make. The sender redelivers whatever was not answered 2xx, as Daily does. Each
 * process stays up, every delivery is stored exactly once, and no job is left running.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { postDaily, readyEvent } from '../helpers/daily-webhooks.ts';
import { waitUntil } from '../helpers/wait.ts';
import { spawnWorker, startServe, type ServeProcess } from '../helpers/serve-process.ts';
import { TRACKS } from '../fixtures/meeting.ts';

const SECRET = Buffer.from('traffic-daily-secret-of-32-bytes').toString('base64');
const DELIVERIES = 240;
const PER_SECOND = 80;
let t: TestDatabase;
let admin: pg.Client;
let dataDir: string;
let env: Record<string, string>;
const processes: ServeProcess[] = [];
let serving: Promise<ServeProcess> | undefined;
/** The one `serve` both tests deliver to (the second one's differs only in its worker beside it). */
const sharedServe = () =>
  (serving ??= startServe(env).then((p) => {
    processes.push(p);
    return p;
  }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const query = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) => (await admin.query(text, values)).rows as T[];
const terminateAll = async () =>
  (await query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`)).length;

/**
 * Sends `DELIVERIES` events on schedule, each redelivered until answered 2xx; terminates every
 * connection at 1/3 and 2/3 of the burst. A pool reconnects on its next use, so at the second
 * time it may hold no connection yet: that step waits, while the burst goes on, for one to end.
 */
const burst = async (service: ServeProcess, event: (i: number) => { id: string }) => {
  let redeliveries = 0;
  const terminated: number[] = [];
  const burstMs = (DELIVERIES / PER_SECOND) * 1000;
  const started = Date.now();
  const chaos = (async () => {
    for (const at of [burstMs / 3, (2 * burstMs) / 3]) {
      await sleep(at - (Date.now() - started));
      // Bounded by the last scheduled delivery: the termination must land while traffic flows.
      terminated.push(
        await waitUntil('a connection to terminate during the burst', terminateAll, {
          timeoutMs: Math.max(0, burstMs - (Date.now() - started)),
          intervalMs: 10,
        }),
      );
    }
  })();
  const deliver = async (i: number) => {
    await sleep((i * 1000) / PER_SECOND);
    for (let attempt = 0; ; attempt++) {
      const status = await postDaily(service.url, event(i), SECRET).then(
        (r) => r.status,
        () => 0,
      );
      if (status >= 200 && status < 300) return;
      redeliveries++;
      if (attempt > 200) throw new Error(`delivery ${i} never accepted (last ${status})`);
      await sleep(200);
    }
  };
  await Promise.all([chaos, ...Array.from({ length: DELIVERIES }, (_, i) => deliver(i))]);
  return { redeliveries, terminated };
};

const storedOnce = async (ids: string[]) => {
  const rows = await query<{ event_id: string; n: number }>(
    `select event_id, count(*)::int as n from webhook_events where event_id = any($1) group by event_id`,
    [ids],
  );
  expect(rows.length).toBe(ids.length);
  expect(rows.every((r) => r.n === 1)).toBe(true);
};

beforeAll(async () => {
  t = await createTestDatabase('postgres');
  admin = new pg.Client({ connectionString: t.url });
  await admin.connect();
  dataDir = await mkdtemp(join(tmpdir(), 'rt-chaos-traffic-'));
  env = {
    DATABASE_URL: t.url!,
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    DAILY_WEBHOOK_SECRET: SECRET,
    ENGINE_WORKERS: '1',
    JOB_LEASE_SECONDS: '3',
    JOB_RETRY_BASE_SECONDS: '0.2',
    JOB_POLL_SECONDS: '0.1',
    JOB_MAX_ATTEMPTS: '2',
    SHUTDOWN_GRACE_SECONDS: '1',
  };
});
afterAll(async () => {
  const service = await serving?.catch(() => undefined);
  if (service?.child.exitCode === null) await service.stop();
  for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await admin?.end();
  await t?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('connections dropped under traffic', () => {
  it(`serve: ${DELIVERIES} deliveries at ${PER_SECOND}/s, every connection terminated twice mid-burst — up, each stored once`, async () => {
    const service = await sharedServe();
    await waitUntil('ready', async () => (await fetch(new URL('/readyz', service.url))).status === 200);
    // Warmed before ready: the pool's connections open, and nothing of the rolled-back synthetic deliveries kept.
    expect(service.logs).toContainEqual(expect.objectContaining({ msg: 'webhooks warmed up', connections: 10 }));
    expect(
      (await query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`))[0]!.n,
    ).toBeGreaterThanOrEqual(10);
    expect(
      await query(
        `select (select count(*) from webhook_events)::int as events, (select count(*) from meetings)::int as meetings, (select count(*) from participants)::int as participants`,
      ),
    ).toEqual([{ events: 0, meetings: 0, participants: 0 }]);
    const ids = Array.from({ length: DELIVERIES }, (_, i) => `serve-${i}`);
    const event = (i: number) => ({
      version: '1.0.0',
      type: i % 2 ? 'participant.left' : 'participant.joined',
      id: ids[i]!,
      event_ts: Date.now() / 1000,
      payload: { room: `room-${i % 20}`, session_id: `session-${i % 60}`, user_name: `User ${i % 60}`, joined_at: Date.now() / 1000 - 60, duration: 60 },
    });
    const { redeliveries, terminated } = await burst(service, event);
    console.log(`serve under traffic: ${terminated.join(' + ')} connections terminated; ${redeliveries} redeliveries`);
    expect(terminated.every((n) => n > 0)).toBe(true);
    expect(service.child.exitCode).toBeNull();
    await storedOnce(ids);
    expect(service.logs.some((l) => l.msg === 'database connection lost; the pool reconnects')).toBe(true);
    expect((await fetch(new URL('/readyz', service.url))).status).toBe(200);
  });

  it(`worker: claiming the jobs of ${DELIVERIES} deliveries while every connection is terminated twice — up, each stored once, no job left running`, async () => {
    // serve runs one job at a time (WORKER_CONCURRENCY's default, 1); the worker four.
    const [service, worker] = await Promise.all([sharedServe(), spawnWorker({ ...env, WORKER_CONCURRENCY: '4' })]);
    processes.push(worker);
    // Recordings whose tracks are not in the bucket: each job is claimed, fails and is finished — database work for the worker, not ffmpeg work.
    const ids = Array.from({ length: DELIVERIES }, (_, i) => `worker-${i}`);
    const event = (i: number) => readyEvent(ids[i]!, `traffic-${i % 40}`, [TRACKS.fromZero.name]);
    const { redeliveries, terminated } = await burst(service, event);
    console.log(`worker under traffic: ${terminated.join(' + ')} connections terminated; ${redeliveries} redeliveries`);
    expect(worker.child.exitCode).toBeNull();
    expect(service.child.exitCode).toBeNull();
    await storedOnce(ids);
    await waitUntil(
      'no job queued or running',
      async () => (await query<{ n: number }>(`select count(*)::int as n from jobs where status in ('queued', 'running')`))[0]!.n === 0,
      60_000,
    );
    expect(await query(`select count(*)::int as n from jobs`)).toEqual([{ n: 40 }]);
    expect(worker.logs.some((l) => l.msg === 'database connection lost; the pool reconnects')).toBe(true);
    await worker.stop();
  });
});
