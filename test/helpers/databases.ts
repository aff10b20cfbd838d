/**
 * The database suites run on both backends: PGlite, and the real PostgreSQL on 127.0.0.1:5432
 * (trust auth, database `test`; .ci/run starts it) in a fresh database per suite, dropped
 * afterwards. Opening PGlite costs seconds of CPU (initdb more: a new one starts from a copy of
 * an empty database made once, media-cache.ts), so each test worker opens one and every suite
 * it runs gets it emptied: the public schema dropped and made again, the suite migrating it
 * as before.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { connectDatabase, openPglite, pgliteHandle, type ConnectOptions, type DatabaseHandle } from '../../src/db/connect.ts';
import { cachedMedia, copyCached, mediaKey } from './media-cache.ts';

export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type Backend = 'pglite' | 'postgres';
export const BACKENDS: Backend[] = ['pglite', 'postgres'];

export type TestDatabase = { handle: DatabaseHandle; url?: string; drop(): Promise<void> };

/** A new, empty database on `backend`; `options.onQuery` sees every statement sent. */
export const createTestDatabase = async (backend: Backend, options: Pick<ConnectOptions, 'onQuery'> = {}): Promise<TestDatabase> => {
  if (backend === 'pglite') {
    const { pglite, dir } = await workerPglite();
    // Empty again: whatever the suite before made (its migrations included) goes with the schema.
    await pglite.exec('drop schema public cascade; create schema public;');
    // Closing leaves the worker's PGlite open for the suites after this one.
    const handle = pgliteHandle(pglite, dir, { ...options, close: () => Promise.resolve() });
    return { handle, drop: () => handle.close() };
  }
  const name = `rt_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect().catch((error: Error) => {
    throw new Error(`PostgreSQL at ${POSTGRES_URL} is not reachable (${error.message}); .ci/run starts it.`);
  });
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const handle = await connectDatabase({ databaseUrl: url.toString(), ...options });
  return {
    handle,
    url: url.toString(),
    drop: async () => {
      await handle.close().catch(() => {});
      const cleanup = new pg.Client({ connectionString: POSTGRES_URL });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
};

let opened: Promise<{ pglite: PGlite; dir: string }> | undefined;

/**
 * The worker's PGlite (vitest.config.ts: a worker runs its files in one process): opened once on a
 * copy of the empty database, emptied for each suite, ended with the worker process.
 */
const workerPglite = () =>
  (opened ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rt-pglite-'));
    await copyCached(await emptyPglite(), dir);
    return { pglite: await openPglite(join(dir, 'pglite')), dir: join(dir, 'pglite') };
  })());

/**
 * Makes `dataDir` a DATA_DIR whose embedded database exists and is empty (not migrated), as
 * PGlite's initdb leaves it: for a `reflector-tracks` process whose subject is not that first
 * initdb (3 s of CPU), which the product then opens and migrates as it would its own.
 */
export const seedEmptyPglite = async (dataDir: string): Promise<void> => copyCached(await emptyPglite(), dataDir);

/** A data directory holding an empty PGlite database (`<dir>/pglite`), closed cleanly, made once. */
const emptyPglite = async () =>
  cachedMedia(
    await mediaKey('pglite-empty', null, [
      new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url),
      new URL('../../src/db/connect.ts', import.meta.url),
    ]),
    async (dir) => {
      const handle = await connectDatabase({ dataDir: dir });
      await handle.close();
    },
  );
