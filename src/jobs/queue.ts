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
import { DEFAULTS } from '../defaults.ts';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, Job } from '../db/schema.ts';

export type EnqueueOptions = {
  /** Same key, one job (a recording's: recordings/recording-jobs.ts `recordingJobKey`). */
  idempotencyKey?: string;
  /** The recording the job stands for (`jobs.recording_id`), so its hooks find it by its uuid. */
  recordingId?: string;
  maxAttempts?: number;
  runAt?: Date;
};

export type RetryPolicy = { baseDelayMs: number; maxDelayMs: number };
/** 10 s doubling to 5 min: eight attempts span about 15 minutes, longer than a typical S3 or network outage. */
export const DEFAULT_RETRY: RetryPolicy = { baseDelayMs: DEFAULTS.jobRetryBaseSeconds * 1000, maxDelayMs: 5 * 60_000 };

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
      recording_id: options.recordingId ?? null,
      max_attempts: options.maxAttempts ?? DEFAULTS.jobMaxAttempts,
      ...(options.runAt ? { run_at: options.runAt } : {}),
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { job: inserted, created: true };
  const existing = await db.selectFrom('jobs').selectAll().where('idempotency_key', '=', options.idempotencyKey!).executeTakeFirstOrThrow();
  return { job: existing, created: false };
};

/** The job enqueued under `idempotencyKey`, if any. */
export const findJobByKey = (db: Kysely<Database> | Transaction<Database>, idempotencyKey: string): Promise<Job | undefined> =>
  db.selectFrom('jobs').selectAll().where('idempotency_key', '=', idempotencyKey).executeTakeFirst();

/** Jobs found by key, or by a payload field among values for one kind (what a domain deletion must reach). */
export type JobSelector = { idempotencyKey: string; payloadField?: { kind: string; field: string; values: readonly string[] } };

/**
 * The jobs a selector finds, locked until the caller's commit (`lock`; the claim's lock order is
 * jobs first): a deletion decides on them and removes them in one transaction (deleteJobs).
 */
export const selectJobs = (tx: Transaction<Database>, selector: JobSelector, lock = false) => {
  const { payloadField: p } = selector;
  const query = tx
    .selectFrom('jobs')
    .select(['id', 'kind', 'status', 'payload'])
    .where((eb) =>
      eb.or([
        eb('idempotency_key', '=', selector.idempotencyKey),
        ...(p?.values.length ? [eb.and([eb('kind', '=', p.kind), eb(sql`payload->>(${p.field}::text)`, 'in', p.values)])] : []),
      ]),
    );
  return (lock ? query.forUpdate() : query).execute();
};

export const deleteJobs = async (tx: Transaction<Database>, ids: readonly number[]): Promise<void> => {
  if (ids.length) await tx.deleteFrom('jobs').where('id', 'in', ids).execute();
};

/**
 * A finished job (succeeded or failed) queued again from its first attempt, its last error
 * cleared; undefined when it is queued or running (or gone).
 */
export const requeueFinishedJob = (tx: Kysely<Database> | Transaction<Database>, jobId: number): Promise<Job | undefined> =>
  tx
    .updateTable('jobs')
    .set({
      status: 'queued',
      attempts: 0,
      run_at: sql`now()`,
      last_error: null,
      finished_at: null,
      locked_by: null,
      locked_until: null,
      updated_at: sql`now()`,
    })
    .where('id', '=', jobId)
    .where('status', 'in', ['failed', 'succeeded'])
    .returningAll()
    .executeTakeFirst();

/** Where a job's outcome leaves it. */
export type JobState = 'succeeded' | 'retrying' | 'failed';

/**
 * Domain writes that must commit with the job's own row, so no reader ever sees the job and
 * what it stands for disagree (the recording and transcript of a recording job, for one).
 */
export type JobHooks = {
  /** Runs in the claim's transaction (e.g. the recording becomes `processing`). */
  onClaim?: (tx: Transaction<Database>, job: Job) => Promise<void>;
  /** Runs in the transaction that records a retry or the final failure (including a job whose workers kept dying). */
  settle?: (tx: Transaction<Database>, job: Job, state: Exclude<JobState, 'succeeded'>, error: string) => Promise<void>;
};

export type JobOutcome =
  /** `commit` runs in the transaction that marks the job succeeded, and only while its lease holds. */
  | { ok: true; commit?: (tx: Transaction<Database>) => Promise<void> }
  /** `permanent`: retrying cannot help (a refused key, no usable track): fail now. */
  | { ok: false; error: string; permanent?: boolean };

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

/** Counts by status (metrics, tests). */
export const jobCounts = async (db: Kysely<Database>): Promise<Record<string, number>> => {
  const rows = await db
    .selectFrom('jobs')
    .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.count)]));
};
