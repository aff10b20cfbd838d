/**
 * Statements a hot path sends hundreds of times a second are prepared once per connection: their
 * text carries `PREPARED` (an SQL comment, so PGlite and logs are unaffected), and on PostgreSQL
 * each pooled client sends them under a name derived from the text (node-postgres "Prepared
 * statements": node-postgres.com/features/queries). The server then parses them once per
 * connection and skips parse and analysis on every later execution. Opt-in and fixed-text only:
 * a named statement lives as long as its connection, so statements whose text varies (IN lists)
 * would pile up on the server.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type pg from 'pg';

const MARK = '/* prepared */';
/** Put first in a statement's text to have it prepared. */
export const PREPARED = sql.raw(MARK);

const names = new Map<string, string>();
const nameOf = (text: string) => {
  let name = names.get(text);
  if (!name) {
    name = `rt_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
};

/** Makes `client` send marked statements by name (once per new pooled client: the pool's `connect` event). */
export const prepareMarkedStatements = (client: pg.PoolClient): void => {
  const query = client.query.bind(client) as (config: unknown, values?: unknown) => unknown;
  client.query = ((config: unknown, values?: unknown) =>
    typeof config === 'string' && config.startsWith(MARK) && Array.isArray(values)
      ? query({ name: nameOf(config), text: config }, values)
      : query(config, values)) as typeof client.query;
};
