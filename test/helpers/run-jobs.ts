/**
 * Runs a job worker with test timings (fast polls and retries) until `until` holds (wait.ts: every
 * 50 ms, failing after two minutes), then stops it: the job suites wait on the state they assert.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import type { JobKind } from '../../src/jobs/job-kind.ts';
import { startJobWorker } from '../../src/jobs/worker.ts';
import { waitUntil } from './wait.ts';

export const runJobsUntil = async (db: Kysely<Database>, handlers: Record<string, JobKind>, until: () => Promise<boolean>): Promise<void> => {
  const worker = startJobWorker({ db, pollMs: 20, leaseMs: 30_000, retry: { baseDelayMs: 50, maxDelayMs: 100 }, handlers });
  try {
    await waitUntil('the jobs to reach the awaited state', until);
  } finally {
    await worker.stop();
  }
};
