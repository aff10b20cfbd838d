/**
 * What the HTTP server's port says before and while it is bound: a port another process holds
 * fails the start at once, before the database is set up, in the words an operator reads.
 */
import { createServer } from 'node:net';
import type { ServiceConfig } from '../config/service-config.ts';
import { TracksError } from '../errors.ts';

/** Why the HTTP server could not listen, as the operator reads it. */
export const listenFailed = (config: ServiceConfig, error: NodeJS.ErrnoException) =>
  new TracksError(
    'SERVER_LISTEN_FAILED',
    `Cannot listen on ${config.host}:${config.port}: ${error.code === 'EADDRINUSE' ? 'the port is in use (EADDRINUSE)' : error.code === 'EACCES' ? 'permission denied (EACCES)' : error.message}`,
    { cause: error },
  );

/**
 * Fails at once on a port another process holds (an old instance still running, a typo in PORT),
 * before seconds of database set-up and migrations: the port is tried, as the server binds it,
 * and let go. The server binds it for good later (and reports a port taken meanwhile the same way).
 */
export const assertPortFree = async (config: ServiceConfig): Promise<void> => {
  if (config.port === 0) return;
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen({ port: config.port, host: config.host, exclusive: true }, resolve);
    });
  } catch (error) {
    throw listenFailed(config, error as NodeJS.ErrnoException);
  }
  await new Promise<void>((resolve) => probe.close(() => resolve()));
};
