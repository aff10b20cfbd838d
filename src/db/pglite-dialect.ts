/**
 * Kysely over PGlite (PostgreSQL in WebAssembly), the embedded default. Kysely 0.29 has this
 * dialect in core but needs Node ≥ 22; on Node 20 this is the ~40-line equivalent measured in
 * ../shared/notes/platforms.md §5.2, with the same config shape so the later swap is one import.
 * PGlite is one session: connection users are serialised so transactions never interleave.
 */
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type { PGlite } from '@electric-sql/pglite';

class PGliteConnection implements DatabaseConnection {
  release: () => void = () => {};
  readonly #pglite: PGlite;
  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    // Without parameters use the simple protocol, as pg does: it takes several statements at
    // once (migrations); the extended protocol refuses them.
    const result =
      query.parameters.length === 0
        ? ((await this.#pglite.exec(query.sql, { rowMode: 'object' })).at(-1) ?? { rows: [], affectedRows: 0, fields: [] })
        : await this.#pglite.query<R>(query.sql, [...query.parameters], { rowMode: 'object' });
    const kind = query.query?.kind;
    const write = kind === 'InsertQueryNode' || kind === 'UpdateQueryNode' || kind === 'DeleteQueryNode' || kind === 'MergeQueryNode';
    return { rows: result.rows as R[], ...(write || result.affectedRows != null ? { numAffectedRows: BigInt(result.affectedRows ?? 0) } : {}) };
  }

  // biome-ignore lint/correctness/useYield: Kysely's interface asks for a generator; PGlite cannot stream, so it throws on first use.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite dialect: streaming queries are not supported');
  }
}

class PGliteDriver implements Driver {
  #connection!: PGliteConnection;
  #queue: Promise<void> = Promise.resolve();
  readonly #pglite: PGlite;
  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  async init(): Promise<void> {
    await this.#pglite.waitReady;
    this.#connection = new PGliteConnection(this.#pglite);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    let release!: () => void;
    const previous = this.#queue;
    this.#queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.#connection.release = release;
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(settings.isolationLevel ? `start transaction isolation level ${settings.isolationLevel}` : 'begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as PGliteConnection).release();
  }

  async destroy(): Promise<void> {
    if (!this.#pglite.closed) await this.#pglite.close();
  }
}

export class PGliteDialect implements Dialect {
  readonly #config: { pglite: PGlite };
  constructor(config: { pglite: PGlite }) {
    this.#config = config;
  }
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver() {
    return new PGliteDriver(this.#config.pglite);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
}
