/**
 * The durable job queue on both backends, in one process: idempotency, exclusive claims, leases,
 * retries with backoff, terminal failure with the error kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { enqueueJob, jobCounts } from '../../src/jobs/queue.ts';
import { claimJob, extendLease, finishJob } from '../../src/jobs/lease.ts';
import { retryDelayMs } from '../../src/jobs/job-outcome.ts';
import { startJobWorker } from '../../src/jobs/worker.ts';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { waitUntil } from '../helpers/wait.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('retry delay', () => {
  it('doubles from the base and is capped', () => {
    const policy = { baseDelayMs: 1000, maxDelayMs: 5000 };
    expect([1, 2, 3, 4, 5].map((a) => retryDelayMs(a, policy))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });
});

describe.each(BACKENDS)('job queue on %s', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(backend);
    await migrateToLatest(t.handle.db);
  });
  afterAll(() => t?.drop());

  it('the same idempotency key enqueued twice makes one job', async () => {
    const { db } = t.handle;
    const a = await enqueueJob(db, 'process_multitrack_recording', { recordingId: 'r1' }, { idempotencyKey: 'daily:r1' });
    const b = await enqueueJob(db, 'process_multitrack_recording', { recordingId: 'r1', again: true }, { idempotencyKey: 'daily:r1' });
    expect(a.created).toBe(true);
    expect(b).toMatchObject({ created: false, job: { id: a.job.id, payload: { recordingId: 'r1' } } });
  });

  it('concurrent claims never share a job', async () => {
    const { db } = t.handle;
    for (let i = 0; i < 6; i++) await enqueueJob(db, 'claim-test', { i });
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => claimJob(db, `w${i}`, 60_000, ['claim-test'])));
    const ids = claims.filter((c) => c !== null).map((c) => c!.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });

  it('a job whose lease ran out is claimed again; the old holder can no longer finish it', async () => {
    const { db } = t.handle;
    const { job } = await enqueueJob(db, 'lease-test', {});
    const first = await claimJob(db, 'dead-worker', 200, ['lease-test']);
    expect(first?.id).toBe(job.id);
    expect(await claimJob(db, 'other', 200, ['lease-test'])).toBeNull();
    // Claimable again once the 200 ms lease has run out (and not before: just checked).
    const second = await waitUntil('the lease to run out', () => claimJob(db, 'other', 60_000, ['lease-test']), { timeoutMs: 10_000, intervalMs: 20 });
    expect(second).toMatchObject({ id: job.id, attempts: 2, locked_by: 'other' });
    expect(await finishJob(db, first!, 'dead-worker', { ok: true })).toBe(false);
    expect(await extendLease(db, first!, 'dead-worker', 1000)).toBe(false);
    expect(await finishJob(db, second!, 'other', { ok: true })).toBe(true);
  });

  it('failures retry with backoff, then fail for good with the last error kept', async () => {
    const { db } = t.handle;
    const { job } = await enqueueJob(db, 'flaky', {}, { maxAttempts: 3 });
    const seen: number[] = [];
    const worker = startJobWorker({
      db,
      workerId: 'flaky-worker',
      pollMs: 20,
      retry: { baseDelayMs: 100, maxDelayMs: 1000 },
      handlers: {
        flaky: async (_p, { attempt }) => {
          seen.push(Date.now());
          throw new Error(`boom ${attempt}`);
        },
      },
    });
    await waitUntil(
      'the third failure recorded',
      async () => (await db.selectFrom('jobs').select('status').where('id', '=', job.id).executeTakeFirstOrThrow()).status === 'failed',
      { timeoutMs: 10_000, intervalMs: 20 },
    );
    await worker.stop();
    const final = await db.selectFrom('jobs').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow();
    expect(final).toMatchObject({ status: 'failed', attempts: 3, last_error: 'boom 3', locked_by: null });
    expect(final.finished_at).toBeInstanceOf(Date);
    // 100 ms, then 200 ms between attempts (less the poll interval's slack).
    expect(seen[1]! - seen[0]!).toBeGreaterThanOrEqual(90);
    expect(seen[2]! - seen[1]!).toBeGreaterThanOrEqual(190);
  });

  it('stop() while a claim is in flight returns without waiting out the poll interval', async () => {
    // Started and stopped at once: its first claim is in flight. An operator's restart waits for no poll timer.
    const worker = startJobWorker({ db: t.handle.db, pollMs: 600_000, handlers: { 'never-enqueued': async () => {} } });
    const started = performance.now();
    await worker.stop();
    expect(performance.now() - started).toBeLessThan(60_000);
  });

  it('a worker runs many jobs, each once, and reports counts', async () => {
    const { db } = t.handle;
    const ran: number[] = [];
    for (let i = 0; i < 40; i++) await enqueueJob(db, 'count', { i }, { idempotencyKey: `count:${i}` });
    const worker = startJobWorker({ db, concurrency: 3, pollMs: 10, handlers: { count: async (payload) => void ran.push((payload as { i: number }).i) } });
    for (let i = 0; i < 500 && ran.length < 40; i++) await sleep(10);
    await worker.stop();
    expect(ran.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    const counts = await jobCounts(db);
    expect(counts.succeeded).toBeGreaterThanOrEqual(40);
  });
});
