/**
 * The operator view's stand (test/browser/operator.test.ts): the real service (HTTP server and job
 * workers) on a PostgreSQL database of its own and the S3 emulator's three buckets, serving the
 * run's inspector build, with one synthetic Daily track on disk to upload; and recordings
 * inserted as finished jobs leave them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFauxqs } from 'fauxqs';
import type { Kysely } from 'kysely';
import { loadServiceConfig } from '../../src/config/service-config.ts';
import type { Database } from '../../src/db/schema.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { syntheticTracks } from './synthetic-tracks.ts';
import { sharedEngine } from './shared-engine.ts';
import { startService, type Service } from '../../src/server/service.ts';
import { TRACKS } from '../fixtures/meeting.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';
import { emulatedStorageEnv } from './emulated-stores.ts';

export const DAILY_SECRET = Buffer.from('operator-view-daily-secret').toString('base64');

export type OperatorStand = { service: Service; t: TestDatabase; track: string; stop: () => Promise<void> };

/** `beforeService` runs on the migrated database before the service starts (API keys). */
export const startOperatorStand = async (debuggerDist: string, beforeService: (db: Kysely<Database>) => Promise<void>): Promise<OperatorStand> => {
  const dir = await mkdtemp(join(tmpdir(), 'rt-operator-'));
  const track = (await syntheticTracks(await sharedEngine(), [TRACKS.fromZero], dir))[0]!;
  const fauxqs = await startFauxqs({ port: 0, logger: false });
  for (const b of ['transcripts', 'daily', 'whereby']) fauxqs.createBucket(b);
  const t = await createTestDatabase('postgres');
  await migrateToLatest(t.handle.db);
  await beforeService(t.handle.db);
  const endpoint = `http://127.0.0.1:${fauxqs.port}`;
  const config = loadServiceConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: join(dir, 'data'),
    DATABASE_URL: t.url,
    ...emulatedStorageEnv(endpoint),
    DAILY_WEBHOOK_SECRET: DAILY_SECRET,
    TRACK_FORMAT: 'wav',
    ENGINE_WORKERS: '2',
    JOB_MAX_ATTEMPTS: '1',
  });
  const service = await startService(config, { web: true, workers: true, log: () => {}, debuggerDist });
  return {
    service,
    t,
    track,
    stop: async () => {
      await service.stop();
      await fauxqs.stop();
      await t.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
};

/** A meeting of `owner` with one recording inserted as a finished job leaves it. */
export const insertRecording = async (
  db: Kysely<Database>,
  owner: string,
  room: string,
  status: 'processed' | 'failed',
  extra: { error?: string; wordsFailed?: string } = {},
) => {
  const meeting = await db
    .insertInto('meetings')
    .values({ platform: 'daily', room_name: room, origin: 'api', owner })
    .returning('id')
    .executeTakeFirstOrThrow();
  const recording = await db
    .insertInto('recordings')
    .values({
      meeting_id: meeting.id,
      platform: 'daily',
      platform_recording_id: `rec-${room}`,
      bucket: 'daily',
      object_keys: '[]',
      status,
      error: extra.error ?? null,
      start_at: new Date(Date.now() - 3600_000),
      duration_ms: 61_000,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (extra.wordsFailed)
    await db
      .insertInto('transcripts')
      .values({ recording_id: recording.id, status: 'ready', transcription_status: 'failed', transcription_error: extra.wordsFailed })
      .execute();
  return recording.id;
};
