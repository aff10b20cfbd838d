/**
 * Runs jobs: claims up to `concurrency` at a time, keeps their leases alive while handlers work,
 * records outcomes with their domain writes in one transaction (lease.ts), and stops within a
 * bound: no new claims; running jobs get `graceMs` to finish, then are aborted and released for
 * another worker.
 *
 * Each kind's payload (job-kind.ts) is parsed once per attempt, at the claim, and its hooks and
 * handler get the parsed value. A payload that does not parse fails the job for good (the
 * ZodError's message is its error) and its hooks are not called: no domain row is touched on the
 * word of a malformed job.
 */
import { DEFAULTS } from '../defaults.ts';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { describeError, isPermanentError, TracksError } from '../errors.ts';
import type { Database, Job } from '../db/schema.ts';
import { claimJob, extendLease, finishJob, releaseJob } from './lease.ts';
import { DEFAULT_RETRY, type JobHooks, type JobOutcome, type RetryPolicy } from './job-outcome.ts';
import { queueHooks, type JobHandler, type JobKind, type Parsed } from './job-kind.ts';

export type WorkerOptions = {
  db: Kysely<Database>;
  /** A plain handler is a kind without a schema or hooks: it gets the payload as stored. */
  handlers: Record<string, JobHandler | JobKind>;
  workerId?: string;
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  retry?: RetryPolicy;
  onEvent?: (event: {
    type: 'claimed' | 'succeeded' | 'retrying' | 'failed' | 'lease-lost' | 'released' | 'finish-failed';
    job: Job;
    error?: string;
    durationMs?: number;
  }) => void;
};

export type JobWorker = {
  readonly workerId: string;
  /** Stops claiming; running jobs get `graceMs` (default: unbounded) to finish, then are released. */
  stop(options?: { graceMs?: number }): Promise<void>;
  /** Resolves when the worker has stopped. */
  readonly done: Promise<void>;
};

const SHUTDOWN = 'worker shutting down';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export const startJobWorker = (options: WorkerOptions): JobWorker => {
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const concurrency = options.concurrency ?? 1;
  const leaseMs = options.leaseMs ?? DEFAULTS.jobLeaseSeconds * 1000;
  const pollMs = options.pollMs ?? DEFAULTS.jobPollSeconds * 1000;
  const kinds: Record<string, JobKind> = Object.fromEntries(
    Object.entries(options.handlers).map(([k, h]) => [k, typeof h === 'function' ? { payload: z.unknown(), run: h } : h]),
  );
  /** Each claimed job's payload, parsed at its claim and dropped once its outcome is recorded. */
  const payloads = new Map<number, Parsed>();
  const parseNow = (job: Job): Parsed => kinds[job.kind]?.payload.safeParse(job.payload) ?? { success: true, data: job.payload };
  const parse = (job: Job): Parsed => payloads.get(job.id) ?? parseNow(job);
  const hooks = Object.fromEntries(
    Object.entries(kinds).map(([name, kind]) => [
      name,
      queueHooks(kind, (job, at) => {
        const parsed = at === 'claim' ? parseNow(job) : parse(job);
        // Kept for the run and the settle of this attempt (a job failed at its claim has neither).
        if (at === 'claim') payloads.set(job.id, parsed);
        return parsed;
      }),
    ]),
  );
  const hooksOf = (kind: string): JobHooks => hooks[kind] ?? {};
  const stopping = new AbortController();
  const running = new Map<Promise<void>, AbortController>();
  let wake: (() => void) | undefined;

  /** Records an outcome, retrying a few times when the database is briefly away; else the lease lapses and the job runs again. */
  const record = async (job: Job, outcome: JobOutcome): Promise<boolean | null> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await finishJob(options.db, job, workerId, outcome, options.retry ?? DEFAULT_RETRY, hooksOf(job.kind));
      } catch (error) {
        if (attempt >= 4) {
          options.onEvent?.({ type: 'finish-failed', job, error: describeError(error) });
          return null;
        }
        await sleep(250 * 2 ** attempt);
      }
    }
  };

  const runOne = async (job: Job, jobAbort: AbortController): Promise<void> => {
    const kind = kinds[job.kind]!;
    // Renew at a third of the lease: two renewals may fail before another worker may claim it.
    const heartbeat = setInterval(() => {
      extendLease(options.db, job, workerId, leaseMs).then(
        (held) => {
          if (!held) jobAbort.abort(new TracksError('JOB_LEASE_LOST', 'the job lease was lost: another worker may have taken the job over'));
        },
        () => {},
      );
    }, leaseMs / 3);
    const started = performance.now();
    options.onEvent?.({ type: 'claimed', job });
    let outcome: JobOutcome;
    try {
      const payload = parse(job);
      if (!payload.success) throw payload.error;
      const commit = await kind.run(payload.data, { job, attempt: job.attempts, signal: jobAbort.signal, workerId });
      outcome = { ok: true, ...(commit ? { commit } : {}) };
    } catch (error) {
      outcome = { ok: false, error: describeError(error), permanent: isPermanentError(error) };
    } finally {
      clearInterval(heartbeat);
    }
    const durationMs = performance.now() - started;
    if (!outcome.ok && jobAbort.signal.aborted && jobAbort.signal.reason === SHUTDOWN) {
      await releaseJob(options.db, job, workerId, hooksOf(job.kind)).catch(() => false);
      options.onEvent?.({ type: 'released', job, durationMs });
      return;
    }
    let recorded = await record(job, outcome);
    if (recorded === null && outcome.ok) {
      // The commit itself failed (not the database connection): the job failed, not succeeded.
      recorded = await record(job, { ok: false, error: 'could not commit the results' });
    }
    if (recorded === null) return;
    if (!recorded) options.onEvent?.({ type: 'lease-lost', job, durationMs });
    else if (outcome.ok) options.onEvent?.({ type: 'succeeded', job, durationMs });
    else options.onEvent?.({ type: outcome.permanent || job.attempts >= job.max_attempts ? 'failed' : 'retrying', job, error: outcome.error, durationMs });
  };

  const loop = async (): Promise<void> => {
    while (!stopping.signal.aborted) {
      if (running.size >= concurrency) {
        // Full: wait for a slot, or for stop (which must not wait on the running jobs here).
        await Promise.race([...running.keys(), new Promise<void>((resolve) => (wake = resolve))]);
        continue;
      }
      let job: Job | null = null;
      try {
        job = await claimJob(options.db, workerId, leaseMs, Object.keys(kinds), hooksOf);
      } catch {
        job = null; // database briefly unreachable: poll again later
      }
      if (job) {
        const abort = new AbortController();
        const id = job.id;
        const task: Promise<void> = runOne(job, abort)
          .catch(() => {})
          .finally(() => {
            running.delete(task);
            payloads.delete(id);
          });
        running.set(task, abort);
        continue;
      }
      // stop() may have come while the claim was in flight (it woke nothing then): no poll wait.
      if (stopping.signal.aborted) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  };

  const done = loop();
  return {
    workerId,
    done,
    stop: async ({ graceMs }: { graceMs?: number } = {}) => {
      stopping.abort();
      wake?.();
      await done;
      const all = Promise.allSettled(running.keys());
      if (graceMs === undefined) return void (await all);
      await Promise.race([all, sleep(graceMs)]);
      if (!running.size) return;
      for (const abort of running.values()) abort.abort(SHUTDOWN);
      // Aborted work stops at its next check; past a short bound its lease simply runs out.
      await Promise.race([Promise.allSettled(running.keys()), sleep(5_000)]);
    },
  };
};
