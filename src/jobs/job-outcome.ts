/**
 * What an attempt's outcome does to a job, shared by the lease holder's writes (lease.ts) and the
 * typed job kinds (job-kind.ts): the retry backoff, the states an outcome leaves a job in, and the
 * domain hooks that commit with the job's own row. No SQL here: the queue's is in queue.ts and lease.ts.
 */
import { DEFAULTS } from '../defaults.ts';
import type { Transaction } from 'kysely';
import type { Database, Job } from '../db/schema.ts';

export type RetryPolicy = { baseDelayMs: number; maxDelayMs: number };
/** 10 s doubling to 5 min: eight attempts span about 15 minutes, longer than a typical S3 or network outage. */
export const DEFAULT_RETRY: RetryPolicy = { baseDelayMs: DEFAULTS.jobRetryBaseSeconds * 1000, maxDelayMs: 5 * 60_000 };

/** Delay before attempt `attempts + 1`: base · 2^(attempts-1), capped. */
export const retryDelayMs = (attempts: number, policy: RetryPolicy = DEFAULT_RETRY): number =>
  Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));

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
