/**
 * Runs jobs: claims up to `concurrency` at a time, keeps their leases alive while handlers work,
 * records outcomes, and stops gracefully (no new claims; running jobs finish, or their leases
 * lapse and another worker takes them).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import { describeError, TracksError } from '../errors.ts';
import type { Database, Job } from '../db/schema.ts';
import { claimJob, extendLease, finishJob, DEFAULT_RETRY, type RetryPolicy } from './queue.ts';

export type JobContext = { job: Job; attempt: number; signal: AbortSignal; workerId: string };
export type JobHandler = (payload: unknown, context: JobContext) => Promise<void>;

export type WorkerOptions = {
  db: Kysely<Database>;
  handlers: Record<string, JobHandler>;
  workerId?: string;
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  retry?: RetryPolicy;
  onEvent?: (event: { type: 'claimed' | 'succeeded' | 'retrying' | 'failed' | 'lease-lost'; job: Job; error?: string; durationMs?: number }) => void;
};

export type JobWorker = {
  readonly workerId: string;
  /** Stops claiming and resolves once running jobs have finished. */
  stop(): Promise<void>;
  /** Resolves when the worker has stopped. */
  readonly done: Promise<void>;
};

export const startJobWorker = (options: WorkerOptions): JobWorker => {
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const concurrency = options.concurrency ?? 1;
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 1_000;
  const kinds = Object.keys(options.handlers);
  const stopping = new AbortController();
  const running = new Set<Promise<void>>();
  let wake: (() => void) | undefined;

  const runOne = async (job: Job): Promise<void> => {
    const handler = options.handlers[job.kind]!;
    const jobAbort = new AbortController();
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
    let outcome: { ok: true } | { ok: false; error: string };
    try {
      await handler(job.payload, { job, attempt: job.attempts, signal: jobAbort.signal, workerId });
      outcome = { ok: true };
    } catch (error) {
      outcome = { ok: false, error: describeError(error) };
    } finally {
      clearInterval(heartbeat);
    }
    const recorded = await finishJob(options.db, job, workerId, outcome, options.retry ?? DEFAULT_RETRY);
    const durationMs = performance.now() - started;
    if (!recorded) options.onEvent?.({ type: 'lease-lost', job, durationMs });
    else if (outcome.ok) options.onEvent?.({ type: 'succeeded', job, durationMs });
    else options.onEvent?.({ type: job.attempts >= job.max_attempts ? 'failed' : 'retrying', job, error: outcome.error, durationMs });
  };

  const loop = async (): Promise<void> => {
    while (!stopping.signal.aborted) {
      if (running.size >= concurrency) {
        await Promise.race(running);
        continue;
      }
      let job: Job | null = null;
      try {
        job = await claimJob(options.db, workerId, leaseMs, kinds);
      } catch {
        job = null; // database briefly unreachable: poll again later
      }
      if (job) {
        const task = runOne(job).finally(() => running.delete(task));
        running.add(task);
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    await Promise.allSettled(running);
  };

  const done = loop();
  return {
    workerId,
    done,
    stop: async () => {
      stopping.abort();
      wake?.();
      await done;
    },
  };
};
