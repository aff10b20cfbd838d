/**
 * Migration 0006: a processing job's row carries its recording's uuid; jobs queued before it are
 * backfilled from their payload's platform ids, and enqueueRecording sets it from then on.
 */
import { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, MIGRATIONS } from '../../src/db/migrate.ts';
import { enqueueRecording } from '../../src/recordings/enqueue-recording.ts';
import { PROCESS_MULTITRACK_RECORDING, PROCESS_RECORDING, recordingJobKey, TRANSCRIBE_RECORDING } from '../../src/recordings/recording-jobs.ts';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../helpers/databases.ts';

const payload = (platformRecordingId: string) => ({
  platform: 'daily' as const,
  platformRecordingId,
  bucket: 'daily',
  roomName: 'room',
  recordingStartMs: null,
  objects: [{ key: `acme/room/${platformRecordingId}`, screenShare: false }],
  otherObjects: [],
});

describe.each(BACKENDS)('jobs.recording_id on %s', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(backend);
  });
  afterAll(() => t?.drop());

  it('backfills the processing jobs queued before the migration, and only those', async () => {
    const { db } = t.handle;
    const migrator = new Migrator({
      db,
      provider: { getMigrations: async () => MIGRATIONS },
      migrationTableName: 'schema_migrations',
      migrationLockTableName: 'schema_migrations_lock',
    });
    expect((await migrator.migrateTo('0005-tombstones')).error).toBeUndefined();
    const recording = await db
      .insertInto('recordings')
      .values({ platform: 'daily', platform_recording_id: 'rec-old', bucket: 'daily', object_keys: '[]' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const whereby = await db
      .insertInto('recordings')
      .values({ platform: 'whereby', platform_recording_id: 'whereby/room/1.mp4', bucket: 'whereby', object_keys: '[]' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const insertJob = (kind: string, body: unknown, key: string | null) =>
      db
        .insertInto('jobs')
        .values({ kind, payload: JSON.stringify(body), idempotency_key: key, max_attempts: 1 })
        .returning('id')
        .executeTakeFirstOrThrow();
    const old = await insertJob(PROCESS_MULTITRACK_RECORDING, payload('rec-old'), 'daily:rec-old');
    const oldWhereby = await insertJob(
      PROCESS_RECORDING,
      { ...payload('whereby/room/1.mp4'), platform: 'whereby', bucket: 'whereby', objects: [{ key: 'room/1.mp4' }] },
      'whereby:whereby/room/1.mp4',
    );
    const unknown = await insertJob(PROCESS_MULTITRACK_RECORDING, payload('rec-never-seen'), 'daily:rec-never-seen');
    // Another kind whose payload happens to name the same platform ids is no processing job.
    const other = await insertJob(TRANSCRIBE_RECORDING, { ...payload('rec-old'), transcriptId: recording.id }, null);

    // 0006 first, then whatever later migrations exist.
    expect((await migrateToLatest(db))[0]).toBe('0006-job-recording');
    const rows = await db.selectFrom('jobs').select(['id', 'recording_id']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: old.id, recording_id: recording.id },
      { id: oldWhereby.id, recording_id: whereby.id },
      { id: unknown.id, recording_id: null },
      { id: other.id, recording_id: null },
    ]);
  });

  it('enqueueRecording sets it and keys the job with recordingJobKey', async () => {
    const { db } = t.handle;
    const first = await enqueueRecording(db, PROCESS_MULTITRACK_RECORDING, payload('rec-new'));
    const again = await enqueueRecording(db, PROCESS_MULTITRACK_RECORDING, payload('rec-new'));
    const recording = await db.selectFrom('recordings').select('id').where('platform_recording_id', '=', 'rec-new').executeTakeFirstOrThrow();
    expect(first.job?.recording_id).toBe(recording.id);
    expect(first.job?.idempotency_key).toBe(recordingJobKey({ platform: 'daily', platformRecordingId: 'rec-new' }));
    expect(first.job?.idempotency_key).toBe('daily:rec-new');
    expect(again).toMatchObject({ created: false, job: { id: first.job?.id, recording_id: recording.id } });
  });
});
