/**
 * Durable jobs in PostgreSQL: one queue table. Its SQL is in two modules, each the only home of
 * its part: this one puts jobs in, finds them (by key, by a payload field), removes them, requeues
 * a finished one and counts them; lease.ts claims them under a lease and records their outcomes.
 *
 * Why not pg-boss or graphile-worker: both need a real pg connection pool (LISTEN/NOTIFY,
 * several sessions) and so cannot run on PGlite, the embedded default; one queue table with the
 * same SQL on both backends is smaller than either adapter would be.
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

/** Counts by status (metrics, tests). */
export const jobCounts = async (db: Kysely<Database>): Promise<Record<string, number>> => {
  const rows = await db
    .selectFrom('jobs')
    .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.count)]));
};
