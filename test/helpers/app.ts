/**
 * The h3 app over a test database, with local object stores in a temporary directory.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { createApp, type AppDeps } from '../../src/server/app.ts';
import { createMetrics } from '../../src/server/metrics.ts';
import { openStores } from '../../src/storage/open-stores.ts';

export const testApp = async (db: Kysely<Database>, overrides: Partial<AppDeps> = {}) => {
  const rootDir = await mkdtemp(join(tmpdir(), 'rt-app-objects-'));
  const { stores, localSigningKey } = await openStores({ kind: 'local', rootDir, publicUrl: 'http://rt.test', buckets: { transcripts: 'transcripts', whereby: 'whereby', daily: 'daily' } });
  const deps: AppDeps = { db, stores, localSigningKey, platforms: {}, metrics: createMetrics(db), daily: { bucket: 'daily' }, whereby: {}, log: () => {}, ...overrides };
  return { app: createApp(deps), deps };
};
