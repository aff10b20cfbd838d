/**
 * The lease holder's side of the durable job queue (queue.ts): a job claimed with
 * `FOR UPDATE SKIP LOCKED` under a lease, kept, and finished or given back. All the SQL that
 * takes, renews or checks a lease, or records an attempt's outcome, is here.
 *
 * Semantics: at-least-once. A claim takes the lease (`locked_by`, `locked_until`); completion
 * and failure only count from the lease holder (a worker that lost its lease cannot overwrite
 * the new holder's result); a job whose lease ran out (its worker died) is claimable again;
 * failures retry with exponential backoff until `max_attempts`, then the job is `failed` with
 * its last error kept.
 */
import { sql, type Kysely } from 'kysely';
import type { Database, Job } from '../db/schema.ts';
import { DEFAULT_RETRY, retryDelayMs, type JobHooks, type JobOutcome, type RetryPolicy } from './job-outcome.ts';

/**
 * Claims the next runnable job (queued and due, or running with an expired lease) for
 * `workerId`. Concurrent claimers never get the same job: the row is locked and skipped. A job
 * whose lease ran out on its last attempt (its worker died) is failed here, with its hooks, and
 * the next one is claimed.
 */
export const claimJob = async (
  db: Kysely<Database>,
  workerId: string,
  leaseMs: number,
  kinds?: readonly string[],
  hooksOf: (kind: string) => JobHooks = () => ({}),
): Promise<Job | null> => {
  for (;;) {
    const result = await db.transaction().execute(async (tx) => {
      const claimed = await tx
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
      if (!claimed) return { job: null, exhausted: false };
      const hooks = hooksOf(claimed.kind);
      if (claimed.attempts > claimed.max_attempts) {
        // Its workers kept dying (lease expiries count as attempts): give up rather than loop.
        const error = claimed.last_error ?? `the job's lease ran out on all ${claimed.max_attempts} attempts (its worker died or hung)`;
        await tx
          .updateTable('jobs')
          .set({
            status: 'failed',
            attempts: claimed.max_attempts,
            last_error: error,
            locked_by: null,
            locked_until: null,
            finished_at: sql`now()`,
            updated_at: sql`now()`,
          })
          .where('id', '=', claimed.id)
          .execute();
        await hooks.settle?.(tx, { ...claimed, status: 'failed', last_error: error }, 'failed', error);
        return { job: null, exhausted: true };
      }
      await hooks.onClaim?.(tx, claimed);
      return { job: claimed, exhausted: false };
    });
    if (!result.exhausted) return result.job;
  }
};

/** Extends the lease of a running job; false if this worker no longer holds it. */
export const extendLease = async (db: Kysely<Database>, job: Pick<Job, 'id'>, workerId: string, leaseMs: number): Promise<boolean> => {
  const result = await heldBy(db, job, workerId)
    .set({ locked_until: sql`now() + make_interval(secs => ${leaseMs / 1000})`, updated_at: sql`now()` })
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
};

/** The job's row, as long as `workerId` holds its lease: the guard of every write a lease holder makes. */
const heldBy = (db: Kysely<Database>, job: Pick<Job, 'id'>, workerId: string) =>
  db.updateTable('jobs').where('id', '=', job.id).where('status', '=', 'running').where('locked_by', '=', workerId);

/**
 * True while `workerId` holds the job's lease. Inside a transaction it also locks the job's row
 * until the commit, so a worker taking the job over waits for (or after) these writes.
 */
export const holdsLease = async (db: Kysely<Database>, job: Pick<Job, 'id'>, workerId: string): Promise<boolean> =>
  (await heldBy(db, job, workerId).set({ updated_at: sql`now()` }).executeTakeFirst()).numUpdatedRows > 0n;

/**
 * Records the outcome in one transaction with its domain writes (`outcome.commit` on success,
 * `hooks.settle` on a retry or the final failure); only the lease holder's counts. A failure
 * before `max_attempts` goes back to the queue after the backoff delay. Returns false when the
 * lease was lost (nothing is written then).
 */
export const finishJob = async (
  db: Kysely<Database>,
  job: Job,
  workerId: string,
  outcome: JobOutcome,
  retry: RetryPolicy = DEFAULT_RETRY,
  hooks: JobHooks = {},
): Promise<boolean> =>
  db.transaction().execute(async (tx) => {
    const base = heldBy(tx, job, workerId);
    const done = { locked_by: null, locked_until: null, updated_at: sql<Date>`now()` };
    if (outcome.ok) {
      const held = await base.set({ ...done, status: 'succeeded', finished_at: sql`now()` }).executeTakeFirst();
      if (held.numUpdatedRows === 0n) return false;
      await outcome.commit?.(tx);
      return true;
    }
    const final = outcome.permanent === true || job.attempts >= job.max_attempts;
    const held = final
      ? await base.set({ ...done, status: 'failed', last_error: outcome.error, finished_at: sql`now()` }).executeTakeFirst()
      : await base
          .set({
            ...done,
            status: 'queued',
            last_error: outcome.error,
            run_at: sql`now() + make_interval(secs => ${retryDelayMs(job.attempts, retry) / 1000})`,
          })
          .executeTakeFirst();
    if (held.numUpdatedRows === 0n) return false;
    await hooks.settle?.(tx, job, final ? 'failed' : 'retrying', outcome.error);
    return true;
  });

/**
 * Gives a running job back (shutdown): queued again at once, this attempt not counted, so
 * another worker takes it without waiting for the lease to run out.
 */
export const releaseJob = async (db: Kysely<Database>, job: Job, workerId: string, hooks: JobHooks = {}): Promise<boolean> =>
  db.transaction().execute(async (tx) => {
    const released = await heldBy(tx, job, workerId)
      .set({ status: 'queued', attempts: sql`greatest(attempts - 1, 0)`, locked_by: null, locked_until: null, run_at: sql`now()`, updated_at: sql`now()` })
      .executeTakeFirst();
    if (released.numUpdatedRows === 0n) return false;
    await hooks.settle?.(tx, job, 'retrying', 'released at shutdown; another worker takes it over');
    return true;
  });
