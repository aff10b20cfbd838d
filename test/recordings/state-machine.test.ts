/**
 * Every transition of recording-states.ts, on both backends, read in one query so the job, the
 * recording and the transcript are seen at the same moment: enqueue, claim, retry, final and
 * permanent failure, a worker dying on its last attempt, success with its commit (and a commit
 * that fails), raw deletion and its failure, a lost lease, a release at shutdown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { PROCESS_MULTITRACK_RECORDING, type RecordingJobPayload } from '../../src/recordings/recording-jobs.ts';
import { claimJob, finishJob, releaseJob } from '../../src/jobs/lease.ts';
import type { JobHooks } from '../../src/jobs/job-outcome.ts';
import { enqueueRecording } from '../../src/recordings/enqueue-recording.ts';
import { queueHooks } from '../../src/jobs/job-kind.ts';
import { processingHooks } from '../../src/recordings/recording-states.ts';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../helpers/databases.ts';

const hooksOf = (_kind: string): JobHooks => queueHooks(processingHooks);

describe.each(BACKENDS)('recording state machine on %s', (backend) => {
  let t: TestDatabase;
  let n = 0;
  beforeAll(async () => {
    t = await createTestDatabase(backend);
    await migrateToLatest(t.handle.db);
  });
  afterAll(() => t?.drop());

  const payload = (id: string): RecordingJobPayload => ({
    platform: 'daily',
    platformRecordingId: id,
    bucket: 'daily',
    roomName: 'room',
    recordingStartMs: 1_700_000_000_000,
    objects: [{ key: `acme/room/1700000000000-11111111-1111-4111-8111-111111111111-cam-audio-1700000000209`, screenShare: false }],
  });
  /** Job, recording and transcript in one statement: one moment. */
  const states = async (id: string) =>
    t.handle.db
      .selectFrom('jobs')
      .innerJoin('recordings', (j) => j.on(sql`recordings.platform_recording_id`, '=', sql`jobs.payload->>'platformRecordingId'`))
      .innerJoin('transcripts', 'transcripts.recording_id', 'recordings.id')
      .select([
        'jobs.id as jobId',
        'jobs.status as job',
        'jobs.attempts',
        'recordings.id as recordingId',
        'recordings.status as recording',
        'recordings.error',
        'transcripts.status as transcript',
      ])
      .where('jobs.idempotency_key', '=', `daily:${id}`)
      .executeTakeFirstOrThrow();
  const fresh = async (maxAttempts = 3) => {
    const id = `sm-${backend}-${++n}`;
    await enqueueRecording(t.handle.db, PROCESS_MULTITRACK_RECORDING, payload(id), { maxAttempts });
    return id;
  };
  const claim = async (worker = 'w1', leaseMs = 60_000) => {
    const job = await claimJob(t.handle.db, worker, leaseMs, [PROCESS_MULTITRACK_RECORDING], hooksOf);
    expect(job).not.toBeNull();
    return job!;
  };

  it('enqueue → queued/pending/pending; claim → running/processing/processing', async () => {
    const id = await fresh();
    expect(await states(id)).toMatchObject({ job: 'queued', recording: 'pending', transcript: 'pending' });
    await claim();
    expect(await states(id)).toMatchObject({ job: 'running', attempts: 1, recording: 'processing', transcript: 'processing' });
  });

  it('a failure with attempts left → queued/pending/pending with the error; the last → failed/failed/failed', async () => {
    const id = await fresh(2);
    let job = await claim();
    expect(
      await finishJob(
        t.handle.db,
        job,
        'w1',
        { ok: false, error: 'STORAGE_FAILED: S3 answered 503' },
        { baseDelayMs: 1, maxDelayMs: 1 },
        queueHooks(processingHooks),
      ),
    ).toBe(true);
    expect(await states(id)).toMatchObject({ job: 'queued', recording: 'pending', transcript: 'pending', error: 'STORAGE_FAILED: S3 answered 503' });
    for (;;) {
      const next = await claimJob(t.handle.db, 'w1', 60_000, [PROCESS_MULTITRACK_RECORDING], hooksOf);
      if (next) {
        job = next;
        break;
      }
    }
    expect(await finishJob(t.handle.db, job, 'w1', { ok: false, error: 'STORAGE_FAILED: again' }, undefined, queueHooks(processingHooks))).toBe(true);
    expect(await states(id)).toMatchObject({ job: 'failed', attempts: 2, recording: 'failed', transcript: 'failed', error: 'STORAGE_FAILED: again' });
  });

  it('a permanent error fails on the first attempt', async () => {
    const id = await fresh(5);
    const job = await claim();
    await finishJob(
      t.handle.db,
      job,
      'w1',
      { ok: false, error: 'PIPELINE_NO_TRACKS: nothing usable', permanent: true },
      undefined,
      queueHooks(processingHooks),
    );
    expect(await states(id)).toMatchObject({ job: 'failed', attempts: 1, recording: 'failed', transcript: 'failed' });
  });

  it('a worker dying on the last attempt: the next claim fails the job and its recording and transcript', async () => {
    const id = await fresh(1);
    await claim('dead-worker', 50);
    // The lease runs out; the next claimer finds the job exhausted.
    for (;;) {
      await claimJob(t.handle.db, 'w2', 60_000, [PROCESS_MULTITRACK_RECORDING], hooksOf);
      if ((await states(id)).job !== 'running') break;
    }
    expect(await states(id)).toMatchObject({
      job: 'failed',
      attempts: 1,
      recording: 'failed',
      transcript: 'failed',
      error: expect.stringContaining('lease ran out'),
    });
  });

  it('outputs committed → running/cleanup/ready; the raw deletion then succeeds the job → succeeded/processed/ready', async () => {
    const id = await fresh();
    const job = await claim();
    const { recordingId } = await states(id);
    // Step 1 of the job (process-recording.ts): the outputs' rows while it still runs.
    await t.handle.db.updateTable('transcripts').set({ status: 'ready' }).where('recording_id', '=', recordingId).execute();
    await t.handle.db.updateTable('recordings').set({ status: 'cleanup', raw_pending: '["k"]' }).where('id', '=', recordingId).execute();
    expect(await states(id)).toMatchObject({ job: 'running', recording: 'cleanup', transcript: 'ready' });
    // Step 2 done: its commit ends the recording with the job's success.
    await finishJob(
      t.handle.db,
      job,
      'w1',
      {
        ok: true,
        commit: async (tx) => void (await tx.updateTable('recordings').set({ status: 'processed', raw_pending: null }).where('id', '=', recordingId).execute()),
      },
      undefined,
      queueHooks(processingHooks),
    );
    expect(await states(id)).toMatchObject({ job: 'succeeded', recording: 'processed', transcript: 'ready' });
  });

  it('a cleanup that fails keeps the outputs: cleanup/ready while retried, failed/ready for good; a retry does not reprocess', async () => {
    const id = await fresh(2);
    let job = await claim();
    const { recordingId } = await states(id);
    await t.handle.db.updateTable('transcripts').set({ status: 'ready' }).where('recording_id', '=', recordingId).execute();
    await t.handle.db.updateTable('recordings').set({ status: 'cleanup', raw_pending: '["k"]' }).where('id', '=', recordingId).execute();
    await finishJob(t.handle.db, job, 'w1', { ok: false, error: 'STORAGE_FAILED: delete' }, { baseDelayMs: 1, maxDelayMs: 1 }, queueHooks(processingHooks));
    expect(await states(id)).toMatchObject({
      job: 'queued',
      recording: 'cleanup',
      transcript: 'ready',
      error: expect.stringContaining('deleting the raw objects failed'),
    });
    let again = null;
    while (!again) again = await claimJob(t.handle.db, 'w1', 60_000, [PROCESS_MULTITRACK_RECORDING], hooksOf);
    job = again;
    // Claimed again, the recording stays in cleanup (the outputs are not made twice).
    expect(await states(id)).toMatchObject({ job: 'running', recording: 'cleanup', transcript: 'ready' });
    await finishJob(t.handle.db, job, 'w1', { ok: false, error: 'STORAGE_FAILED: delete' }, undefined, queueHooks(processingHooks));
    expect(await states(id)).toMatchObject({ job: 'failed', recording: 'failed', transcript: 'ready' });
  });

  it('a commit that fails rolls back with the job: still running, nothing half-written', async () => {
    const id = await fresh();
    const job = await claim();
    const { recordingId } = await states(id);
    await expect(
      finishJob(t.handle.db, job, 'w1', {
        ok: true,
        commit: async (tx) => {
          await tx.updateTable('transcripts').set({ status: 'ready' }).where('recording_id', '=', recordingId).execute();
          throw new Error('disk full');
        },
      }),
    ).rejects.toThrow('disk full');
    expect(await states(id)).toMatchObject({ job: 'running', recording: 'processing', transcript: 'processing' });
  });

  it('a worker that lost its lease cannot record anything; a release at shutdown requeues without counting the attempt', async () => {
    const id = await fresh();
    const stale = await claim('slow', 50);
    let taken = null;
    while (!taken) taken = await claimJob(t.handle.db, 'fast', 60_000, [PROCESS_MULTITRACK_RECORDING], hooksOf);
    expect(await finishJob(t.handle.db, stale, 'slow', { ok: false, error: 'late' }, undefined, queueHooks(processingHooks))).toBe(false);
    expect(await states(id)).toMatchObject({ job: 'running', attempts: 2, recording: 'processing' });
    expect(await releaseJob(t.handle.db, taken, 'fast', queueHooks(processingHooks))).toBe(true);
    expect(await states(id)).toMatchObject({ job: 'queued', attempts: 1, recording: 'pending', transcript: 'pending' });
  });
});
