/**
 * The h3 app over a test database, with local object stores in a temporary directory and real
 * API-key authentication; `keys` holds a token per scope, `as(scope)` the header that sends it.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { createApiKey } from '../../src/auth/api-keys.ts';
import { createAuthenticator } from '../../src/auth/authenticate.ts';
import type { Scope } from '../../src/auth/principal.ts';
import type { Database } from '../../src/db/schema.ts';
import { createApp, type AppDeps } from '../../src/server/app.ts';
import { createMetrics } from '../../src/server/metrics.ts';
import { openStores } from '../../src/storage/open-stores.ts';

export const testApp = async (db: Kysely<Database>, overrides: Partial<AppDeps> = {}, options: { keys?: boolean } = {}) => {
  const rootDir = await mkdtemp(join(tmpdir(), 'rt-app-objects-'));
  const { stores, localSigningKey } = await openStores({
    kind: 'local',
    rootDir,
    publicUrl: 'http://rt.test',
    buckets: { transcripts: 'transcripts', whereby: 'whereby', daily: 'daily' },
  });
  const deps: AppDeps = {
    db,
    stores,
    localSigningKey,
    linkSigningKey: 'test-link-signing-key',
    auth: createAuthenticator({ db }),
    platforms: {},
    metrics: createMetrics(db),
    daily: { bucket: 'daily' },
    whereby: {},
    log: () => {},
    ...overrides,
  };
  const keys = {} as Record<Scope, { id: string; token: string }>;
  // Keys need the schema: a suite that migrates later passes { keys: false }.
  if (options.keys ?? true) for (const scope of ['read', 'write', 'admin'] as const) keys[scope] = await createApiKey(db, { name: `test ${scope}`, scope });
  const as = (scope: Scope, headers: Record<string, string> = {}) => ({ ...headers, authorization: `Bearer ${keys[scope].token}` });
  return { app: createApp(deps), deps, keys, as };
};
