/**
 * Durable jobs in PostgreSQL: a queue table claimed with `FOR UPDATE SKIP LOCKED` under a lease.
 *
 * Why not pg-boss or graphile-worker: both need a real pg connection pool (LISTEN/NOTIFY,
 * several sessions) and so cannot run on PGlite, the embedded default; one queue table with the
 * same SQL on both backends is smaller than either adapter would be.
 *
 * Semantics: at-least-once. A claim takes the lease (`locked_by`, `locked_until`); completion
 * and failure only count from the lease holder (a worker that lost its lease cannot overwrite
 * the new holder's result); a job whose lease ran out (its worker died) is claimable again;
 * failures retry with exponential backoff until `max_attempts`, then the job is `failed` with
 * its last error kept.
 */
import { sql, type Kysely } from 'kysely';
import type { Database, Job } from '../db/schema.ts';

export type EnqueueOptions = {
  /** Same key, one job: `daily:<recording id>`, `whereby:<bucket>/<key>`. */
  idempotencyKey?: string;
  maxAttempts?: number;
  runAt?: Date;
};

export type RetryPolicy = { baseDelayMs: number; maxDelayMs: number };
export const DEFAULT_RETRY: RetryPolicy = { baseDelayMs: 5_000, maxDelayMs: 15 * 60_000 };

/** Delay before attempt `attempts + 1`: base · 2^(attempts-1), capped. */
export const retryDelayMs = (attempts: number, policy: RetryPolicy = DEFAULT_RETRY): number =>
  Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));

export const enqueueJob = async (
  db: Kysely<Database>,
  kind: string,
  payload: unknown,
  options: EnqueueOptions = {},
): Promise<{ job: Job; created: boolean }> => {
  const inserted = await db
    .insertInto('jobs')
    .values({
      kind,
      payload: JSON.stringify(payload ?? {}),
      idempotency_key: options.idempotencyKey ?? null,
      max_attempts: options.maxAttempts ?? 5,
      ...(options.runAt ? { run_at: options.runAt } : {}),
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { job: inserted, created: true };
  const existing = await db.selectFrom('jobs').selectAll().where('idempotency_key', '=', options.idempotencyKey!).executeTakeFirstOrThrow();
  return { job: existing, created: false };
};

/**
 * Claims the next runnable job (queued and due, or running with an expired lease) for
 * `workerId`. Concurrent claimers never get the same job: the row is locked and skipped.
 */
export const claimJob = async (db: Kysely<Database>, workerId: string, leaseMs: number, kinds?: readonly string[]): Promise<Job | null> => {
  const claimed = await db
    .updateTable('jobs')
    .set({
      status: 'running',
      attempts: sql`attempts + 1`,
      locked_by: workerId,
      locked_until: sql`now() + make_interval(secs => ${leaseMs / 1000})`,
      updated_at: sql`now()`,
    })
    .where('id', '=', (qb) =>
      qb
        .selectFrom('jobs')
        .select('id')
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', sql<Date>`now()`)]),
            eb.and([eb('status', '=', 'running'), eb('locked_until', '<', sql<Date>`now()`)]),
          ]),
        )
        .$if(kinds !== undefined, (q) => q.where('kind', 'in', kinds!))
        .orderBy('run_at')
        .orderBy('id')
        .limit(1)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .executeTakeFirst();
  if (!claimed) return null;
  if (claimed.attempts > claimed.max_attempts) {
    // Its workers kept dying (lease expiries count as attempts): give up rather than loop.
    await finishJob(db, claimed, workerId, { ok: false, error: claimed.last_error ?? 'lease expired on every attempt (worker died?)' }, DEFAULT_RETRY);
    return claimJob(db, workerId, leaseMs, kinds);
  }
  return claimed;
};

/** Extends the lease of a running job; false if this worker no longer holds it. */
export const extendLease = async (db: Kysely<Database>, job: Pick<Job, 'id'>, workerId: string, leaseMs: number): Promise<boolean> => {
  const result = await db
    .updateTable('jobs')
    .set({ locked_until: sql`now() + make_interval(secs => ${leaseMs / 1000})`, updated_at: sql`now()` })
    .where('id', '=', job.id)
    .where('status', '=', 'running')
    .where('locked_by', '=', workerId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
};

/**
 * Records the outcome; only the lease holder's counts. A failure before `max_attempts` goes back
 * to the queue after the backoff delay. Returns false when the lease was lost.
 */
export const finishJob = async (
  db: Kysely<Database>,
  job: Pick<Job, 'id' | 'attempts' | 'max_attempts'>,
  workerId: string,
  outcome: { ok: true } | { ok: false; error: string; retry?: boolean },
  retry: RetryPolicy = DEFAULT_RETRY,
): Promise<boolean> => {
  const base = db.updateTable('jobs').where('id', '=', job.id).where('status', '=', 'running').where('locked_by', '=', workerId);
  let query;
  if (outcome.ok) {
    query = base.set({ status: 'succeeded', locked_by: null, locked_until: null, finished_at: sql`now()`, updated_at: sql`now()` });
  } else if (outcome.retry === false || job.attempts >= job.max_attempts) {
    query = base.set({ status: 'failed', last_error: outcome.error, locked_by: null, locked_until: null, finished_at: sql`now()`, updated_at: sql`now()` });
  } else {
    const delayMs = retryDelayMs(job.attempts, retry);
    query = base.set({
      status: 'queued',
      last_error: outcome.error,
      locked_by: null,
      locked_until: null,
      run_at: sql`now() + make_interval(secs => ${delayMs / 1000})`,
      updated_at: sql`now()`,
    });
  }
  return (await query.executeTakeFirst()).numUpdatedRows > 0n;
};

/** Counts by status (metrics, tests). */
export const jobCounts = async (db: Kysely<Database>): Promise<Record<string, number>> => {
  const rows = await db.selectFrom('jobs').select(['status', (eb) => eb.fn.countAll<number>().as('count')]).groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.count)]));
};
