/**
 * One code path, two backends: `DATABASE_URL=postgres://…` → a pg pool; unset → PGlite on disk
 * under `DATA_DIR`. Both return int8 as number, timestamptz as Date and jsonb parsed, so every
 * query and test behaves the same (pg gives int8 as a string by default, PGlite as a number:
 * measured on both: test/db/schema.test.ts).
 */
import { rm, writeFile } from 'node:fs/promises';
import { TracksError } from '../errors.ts';
import { join, resolve } from 'node:path';
import { Kysely, PGliteDialect, PostgresDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import { PGlite, types } from '@electric-sql/pglite';
import type { Database } from './schema.ts';
import { prepareMarkedStatements } from './prepared-statements.ts';
import { mkdirPrivate, PRIVATE_FILE_MODE } from '../storage/private-dir.ts';

export type DatabaseHandle = {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  /** Where it lives: the URL without password, or the PGlite directory. */
  location: string;
  /** Connections it may hold at once (PGlite: one). */
  poolSize: number;
  close(): Promise<void>;
};

const INT8_OID = 20;
/** int8 values beyond 2^53 would lose precision as numbers; ours are ids, counts and milliseconds. */
const parseInt8 = (value: string) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 ${value} exceeds the safe integer range`);
  return n;
};

export type ConnectOptions = {
  databaseUrl?: string;
  dataDir?: string;
  poolSize?: number;
  /** A pooled connection that drops (restart, failover, idle reaper), idle or checked out, is reported here; the pool reconnects on next use. */
  onConnectionError?: (error: Error) => void;
  /** Every statement sent, BEGIN and COMMIT included (Kysely's query log): how tests count a request's round trips. */
  onQuery?: (sql: string) => void;
};

const queryLog = (options: ConnectOptions) => {
  const { onQuery } = options;
  return onQuery ? { log: (event: LogEvent) => onQuery(event.query.sql) } : {};
};

const DEFAULT_POOL_SIZE = 10;

export const connectDatabase = async (options: ConnectOptions = {}): Promise<DatabaseHandle> => {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? DEFAULT_POOL_SIZE,
      // Fail fast while the database is away: callers answer 503 instead of hanging.
      connectionTimeoutMillis: 3000,
      idleTimeoutMillis: 30_000,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
      },
    });
    // A client whose connection drops emits 'error'; without a listener that is an uncaught
    // exception that ends the process (node-postgres docs, "Pool: events: error"). pg-pool
    // listens only while a client is idle (node_modules/pg-pool/index.js, `_acquireClient`
    // removes its listener), so a connection terminated mid-query or mid-transaction — a
    // failover under traffic — would end the process: every client gets its own listener for
    // its whole life. The statement in flight fails with the error and the transaction with it;
    // the client is marked unusable, and pg-pool drops it when it is released.
    pool.on('connect', (client) => {
      client.on('error', (error) => options.onConnectionError?.(error));
      prepareMarkedStatements(client);
    });
    // pg-pool re-emits an idle client's error on the pool: the client's own listener reported it.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...queryLog(options) });
    const url = new URL(options.databaseUrl);
    url.password = '';
    return { db, kind: 'postgres', location: url.toString(), poolSize: options.poolSize ?? DEFAULT_POOL_SIZE, close: () => db.destroy() };
  }
  const dir = resolve(options.dataDir ?? 'data', 'pglite');
  // PGlite on a folder it cannot write spins instead of failing: say so before it starts.
  try {
    // 0700 (with DATA_DIR when it is made here): PGlite makes its own files 0666 whatever the umask (storage/private-dir.ts).
    await mkdirPrivate(dir);
    const probe = join(dir, `.writable-${process.pid}`);
    await writeFile(probe, '', { mode: PRIVATE_FILE_MODE });
    await rm(probe);
  } catch (cause) {
    throw new TracksError(
      'CONFIG_INVALID',
      `DATA_DIR: cannot keep the embedded database in ${dir} (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}); make it writable or set DATA_DIR or DATABASE_URL.`,
      { cause },
    );
  }
  return pgliteHandle(await openPglite(dir), join(dir), options);
};

/** PGlite on `dir`, reading int8 as the pg pool does. */
export const openPglite = (dir: string): Promise<PGlite> => PGlite.create(dir, { parsers: { [types.INT8]: parseInt8 } });

/**
 * A handle on an open PGlite. Its `close` ends the PGlite, or runs `options.close` instead when
 * the PGlite outlives the handle (the tests' one PGlite per worker: test/helpers/databases.ts).
 */
export const pgliteHandle = (
  pglite: PGlite,
  location: string,
  options: Pick<ConnectOptions, 'onQuery'> & { close?: () => Promise<void> } = {},
): DatabaseHandle => {
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }), ...queryLog(options) });
  return { db, kind: 'pglite', location, poolSize: 1, close: options.close ?? (() => db.destroy()) };
};
