/**
 * Which database errors are about the connection rather than the statement. A connection-level
 * error says nothing about the delivery or job that met it — the same work succeeds once the
 * database is back — so callers answer "later" (503, retry). Any other error (a constraint, a
 * value out of range, a trigger's exception) would fail the same way again.
 *
 * SQLSTATE classes (postgresql.org/docs/current/errcodes-appendix.html): 08 connection exception;
 * 57P01–57P05 the server ended the session (admin shutdown, crash, cannot connect now, database
 * dropped, idle timeout); 53 insufficient resources (too many connections, disk full, out of
 * memory); 25006 read-only transaction (a standby promoted or not yet: failover in progress).
 */

/** Node socket errors met while connecting to or talking with the database server. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/** What node-postgres and pg-pool throw without a code when a connection is lost or cannot be had, and PGlite once closed. */
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
  'PGlite is closed',
];

const isConnectionSqlState = (code: string): boolean => code.startsWith('08') || code.startsWith('53') || /^57P0[1-5]$/.test(code) || code === '25006';

/** True when `error` (or its cause) is the connection failing, not the statement. */
export const isConnectionError = (error: unknown): boolean => {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || isConnectionSqlState(code))) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && CONNECTION_MESSAGES.some((m) => message.includes(m))) return true;
  }
  return false;
};

/**
 * pg-pool's answer to a checkout that waited its whole `connectionTimeoutMillis` in the queue
 * because every connection was in use (node_modules/pg-pool/index.js, `connect`): the database
 * is busy, not gone — a connection that cannot be opened fails as "Connection terminated due to
 * connection timeout" instead, which `isConnectionError` matches.
 */
export const isPoolBusyError = (error: unknown): boolean => (error as { message?: unknown })?.message === 'timeout exceeded when trying to connect';

/**
 * Errors the same statement may not meet again: serialization failure (40001), deadlock
 * (40P01), lock not available (55P03), statement timeout or cancel (57014). Worth one more try,
 * then "later" — never filed as the delivery's fault.
 */
const RETRYABLE_SQL_STATES = new Set(['40001', '40P01', '55P03', '57014']);

export const isRetryableError = (error: unknown): boolean => RETRYABLE_SQL_STATES.has(String((error as { code?: unknown })?.code));
