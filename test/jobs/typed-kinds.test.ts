/**
 * A job kind carries its payload schema (src/jobs/worker.ts): the payload is parsed once per
 * attempt and every hook and the handler get the parsed value; a payload that does not parse
 * fails the job for good without calling its hooks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { enqueueJob } from '../../src/jobs/queue.ts';
import type { JobKind } from '../../src/jobs/job-kind.ts';
import { startJobWorker } from '../../src/jobs/worker.ts';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { waitUntil } from '../helpers/wait.ts';

describe.each(BACKENDS)('typed job kinds on %s', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(backend);
    await migrateToLatest(t.handle.db);
  });
  afterAll(() => t?.drop());

  const typedKind = (log: string[]) => {
    let parses = 0;
    const payload = z.object({ n: z.number(), tag: z.string().default('untagged') }).transform((p) => {
      parses++;
      return p;
    });
    const kind: JobKind<z.output<typeof payload>> = {
      payload,
      onClaim: async (_tx, job, p) => void log.push(`claim ${job.attempts} ${p.n} ${p.tag}`),
      settle: async (_tx, job, p, state) => void log.push(`${state} ${job.attempts} ${p.n} ${p.tag}`),
      run: async (p, { attempt }) => {
        log.push(`run ${attempt} ${p.n} ${p.tag}`);
        if (attempt === 1) throw new Error('first attempt fails');
      },
    };
    return { kind, parses: () => parses };
  };

  const statusOf = async (id: number) => (await t.handle.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow()).status;

  it('parses the payload once per attempt and hands hooks and handler the parsed value (defaults applied)', async () => {
    const log: string[] = [];
    const { kind, parses } = typedKind(log);
    const { job } = await enqueueJob(t.handle.db, 'typed', { n: 7 }, { maxAttempts: 2 });
    const worker = startJobWorker({ db: t.handle.db, handlers: { typed: kind }, pollMs: 20, retry: { baseDelayMs: 1, maxDelayMs: 1 } });
    try {
      await waitUntil('the job succeeded', async () => (await statusOf(job.id)) === 'succeeded');
    } finally {
      await worker.stop();
    }
    expect(log).toEqual(['claim 1 7 untagged', 'run 1 7 untagged', 'retrying 1 7 untagged', 'claim 2 7 untagged', 'run 2 7 untagged']);
    expect(parses()).toBe(2);
  });

  it('fails a job whose payload does not parse for good, with the parse error, and calls none of its hooks', async () => {
    const log: string[] = [];
    const { kind } = typedKind(log);
    const { job } = await enqueueJob(t.handle.db, 'typed-bad', { n: 'seven' }, { maxAttempts: 5 });
    const worker = startJobWorker({ db: t.handle.db, handlers: { 'typed-bad': kind }, pollMs: 20 });
    try {
      await waitUntil('the job failed', async () => (await statusOf(job.id)) === 'failed');
    } finally {
      await worker.stop();
    }
    const row = await t.handle.db.selectFrom('jobs').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow();
    expect(row.attempts).toBe(1);
    expect(row.last_error).toMatch(/expected number/i);
    expect(log).toEqual([]);
  });
});
