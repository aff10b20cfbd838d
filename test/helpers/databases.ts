/**
 * The database suites run on both backends: PGlite, and the real PostgreSQL on 127.0.0.1:5432
 * (trust auth, database `test`; .ci/run starts it). Each suite gets an empty database, made
 * cheaply: a test worker (vitest.config.ts: its files run one after another in one process)
 * opens one PGlite and empties it for each suite (opening PGlite costs seconds of CPU, initdb
 * more: a new one starts from a copy of an empty database made once, media-cache.ts), and hands
 * a PostgreSQL database a suite has dropped to the next one emptied (connections ended, schema
 * made again); the suite migrates it as before. The run's PostgreSQL databases are dropped when
 * it ends (test/global-setup.ts).
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
  let name = emptied.pop();
  if (name) await emptyDatabase(name);
  else {
    name = `${RUN_DATABASE_PREFIX}${process.pid}_${made++}`;
    await asAdmin((admin) => admin.query(`create database ${name}`));
  }
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const handle = await connectDatabase({ databaseUrl: url.toString(), ...options });
  let dropped = false;
  return {
    handle,
    url: url.toString(),
    drop: async () => {
      // Once only: handed on twice, one database would serve two suites at once.
      if (dropped) return;
      dropped = true;
      await handle.close().catch(() => {});
      // Outside a test run (a bench) nobody drops it later: now, then.
      if (process.env.TEST_RUN_ID) return void emptied.push(name);
      await asAdmin((admin) => dropDatabase(admin, name));
    },
  };
};

/**
 * A run's PostgreSQL databases are named by its id (TEST_RUN_ID, set by test/global-setup.ts,
 * which drops them all when the run ends, whatever state a worker left them in).
 */
const runDatabasePrefix = (runId: string) => `rt_test_${runId}_`;
const RUN_DATABASE_PREFIX = runDatabasePrefix(process.env.TEST_RUN_ID ?? String(process.pid));

/** Drops every database of the run `runId` (the global teardown); PostgreSQL down is no error here. */
export const dropRunDatabases = (runId: string): Promise<void> =>
  asAdmin(async (admin) => {
    const { rows } = await admin.query<{ datname: string }>('select datname from pg_database where starts_with(datname, $1)', [runDatabasePrefix(runId)]);
    for (const { datname } of rows) await dropDatabase(admin, datname);
  }).catch(() => {
    // Nothing to drop where nothing could be made.
  });

/** `work` on a connection to the server's `test` database, ended afterwards. */
const asAdmin = async <T>(work: (admin: pg.Client) => Promise<T>): Promise<T> => {
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect().catch((error: Error) => {
    throw new Error(`PostgreSQL at ${POSTGRES_URL} is not reachable (${error.message}); .ci/run starts it.`);
  });
  try {
    return await work(admin);
  } finally {
    await admin.end().catch(() => {});
  }
};

const dropDatabase = (admin: pg.Client, name: string) => admin.query(`drop database if exists ${name} with (force)`);

/**
 * Databases a suite of this worker has dropped, taken again by the next one emptied instead of
 * made anew: CREATE and DROP DATABASE each copy or discard a whole database and force a
 * checkpoint, the heaviest statements of a run.
 */
const emptied: string[] = [];
let made = 0;

/** The database as `create database` left it: every connection of the suite before ended, its schema gone. */
const emptyDatabase = async (name: string) => {
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
    await client.query('drop schema public cascade; create schema public');
  } finally {
    await client.end();
  }
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
