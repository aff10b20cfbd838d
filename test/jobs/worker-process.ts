// A job worker in its own process, for the multi-process tests (plain `node`: Node strips the types).
// Env: DATABASE_URL, WORKER_ID. Kinds: `record` writes one row per run into test_job_runs;
// `slow` hangs on its first attempt (so the test can kill the process) and records on a later one.
import { connectDatabase } from '../../src/db/connect.ts';
import { startJobWorker } from '../../src/jobs/worker.ts';
import { sql } from 'kysely';

const handle = await connectDatabase({ databaseUrl: process.env.DATABASE_URL!, poolSize: 6 });
const workerId = process.env.WORKER_ID!;
const record = (jobId: number) => sql`insert into test_job_runs (job_id, worker_id) values (${jobId}, ${workerId})`.execute(handle.db);
const worker = startJobWorker({
  db: handle.db,
  workerId,
  concurrency: 4,
  leaseMs: 1500,
  pollMs: 25,
  handlers: {
    record: async (_payload, { job }) => {
      await new Promise((r) => setTimeout(r, 5));
      await record(job.id);
    },
    slow: async (_payload, { job, attempt }) => {
      if (attempt === 1) {
        process.stdout.write(`slow-started ${job.id}\n`);
        await new Promise(() => {}); // hang until killed
      }
      await record(job.id);
    },
  },
});
process.stdout.write('ready\n');
process.on('SIGTERM', async () => {
  await worker.stop();
  await handle.close();
  process.exit(0);
});
