/**
 * A job kind (graphile-worker's task list, typed): the zod schema of its payload, the hooks that
 * keep its domain rows in step with its job (job-outcome.ts `JobHooks`, here with the parsed payload),
 * and its handler. The worker (worker.ts) parses the payload once per attempt.
 */
import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type { Database, Job } from '../db/schema.ts';
import type { JobHooks, JobState } from './job-outcome.ts';

export type JobContext = { job: Job; attempt: number; signal: AbortSignal; workerId: string };
/** Resolves when the work is done; a returned function commits its results with the job's success. */
export type JobHandler<P = unknown> = (payload: P, context: JobContext) => Promise<void | ((tx: Transaction<Database>) => Promise<void>)>;

/** A kind's payload schema and the hooks that keep its domain rows in step with its job (job-outcome.ts `JobHooks`, typed). */
export type KindHooks<P> = {
  payload: z.ZodType<P>;
  /** Runs in the claim's transaction. */
  onClaim?: (tx: Transaction<Database>, job: Job, payload: P) => Promise<void>;
  /** Runs in the transaction that records a retry or the final failure. */
  settle?: (tx: Transaction<Database>, job: Job, payload: P, state: Exclude<JobState, 'succeeded'>, error: string) => Promise<void>;
};
// biome-ignore lint/suspicious/noExplicitAny: a record of kinds holds each with its own payload type
export type JobKind<P = any> = KindHooks<P> & { run: JobHandler<P> };

export type Parsed = { success: true; data: unknown } | { success: false; error: z.ZodError };

/**
 * The queue's untyped hooks (claimJob, finishJob, releaseJob) for typed ones: `parse` gives the
 * payload (by default parsed at each call; the worker hands its parse of the claim).
 */
export const queueHooks = <P>(
  hooks: KindHooks<P>,
  parse: (job: Job, at: 'claim' | 'settle') => Parsed = (job) => hooks.payload.safeParse(job.payload),
): JobHooks => ({
  onClaim: async (tx, job) => {
    const parsed = parse(job, 'claim');
    if (parsed.success) await hooks.onClaim?.(tx, job, parsed.data as P);
  },
  settle: async (tx, job, state, error) => {
    const parsed = parse(job, 'settle');
    if (parsed.success) await hooks.settle?.(tx, job, parsed.data as P, state, error);
  },
});
