/**
 * Two worker processes on one PostgreSQL queue (PGlite is a single-process database, so this
 * suite is PostgreSQL's): every job runs exactly once, and a job whose worker is killed with
 * SIGKILL mid-run completes on the other after its lease expires.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { enqueueJob, jobCounts } from '../../src/jobs/queue.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { tsScriptArgs } from '../helpers/node-script.ts';
import { waitUntil } from '../helpers/wait.ts';

const script = fileURLToPath(new URL('./worker-process.ts', import.meta.url));
let t: TestDatabase;
const children: ChildProcess[] = [];
const output = new Map<string, string>();

const startWorker = (workerId: string): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, tsScriptArgs(script), {
      env: { ...process.env, DATABASE_URL: t.url!, WORKER_ID: workerId },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    output.set(workerId, '');
    child.stdout!.on('data', (chunk: Buffer) => {
      output.set(workerId, output.get(workerId)! + chunk.toString());
      if (output.get(workerId)!.includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker ${workerId} exited with ${code}`)));
  });

beforeAll(async () => {
  t = await createTestDatabase('postgres');
  await migrateToLatest(t.handle.db);
  await sql`create table test_job_runs (job_id int8 not null, worker_id text not null)`.execute(t.handle.db);
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await t?.drop();
});

describe('two worker processes on one queue', () => {
  it('run 200 jobs exactly once each, shared between them', async () => {
    const { db } = t.handle;
    const [a, b] = await Promise.all([startWorker('A'), startWorker('B')]);
    for (let i = 0; i < 200; i++) await enqueueJob(db, 'record', { i });
    await waitUntil('200 jobs succeeded', async () => ((await jobCounts(db)).succeeded ?? 0) >= 200, 30_000);
    const runs = await sql<{ job_id: number; worker_id: string }>`select job_id, worker_id from test_job_runs`.execute(db);
    const perJob = new Map<number, number>();
    for (const r of runs.rows) perJob.set(r.job_id, (perJob.get(r.job_id) ?? 0) + 1);
    expect(perJob.size).toBe(200);
    expect([...perJob.values()].every((n) => n === 1)).toBe(true);
    const byWorker = new Set(runs.rows.map((r) => r.worker_id));
    expect(byWorker).toEqual(new Set(['A', 'B']));
    a.kill('SIGTERM');
    b.kill('SIGTERM');
  });

  it('a job whose worker is killed (SIGKILL) mid-run completes on the other', async () => {
    const { db } = t.handle;
    await sql`delete from test_job_runs`.execute(db);
    const victim = await startWorker('victim');
    const { job } = await enqueueJob(db, 'slow', {}, { idempotencyKey: 'slow:1' });
    await waitUntil('the victim started the slow job', async () => output.get('victim')!.includes(`slow-started ${job.id}`), 30_000);
    victim.kill('SIGKILL');
    await startWorker('survivor');
    await waitUntil(
      'the slow job succeeded',
      async () => (await db.selectFrom('jobs').select('status').where('id', '=', job.id).executeTakeFirstOrThrow()).status === 'succeeded',
      30_000,
    );
    const final = await db.selectFrom('jobs').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow();
    expect(final.attempts).toBe(2);
    const runs = await sql<{ worker_id: string }>`select worker_id from test_job_runs where job_id = ${job.id}`.execute(db);
    expect(runs.rows).toEqual([{ worker_id: 'survivor' }]);
  });
});
