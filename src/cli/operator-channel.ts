/**
 * How an operator command reaches the data: through a running service's admin socket when one
 * holds the embedded database (PGlite is one process's), else straight to the database (and
 * the object stores) from the environment's configuration.
 */
import { join } from 'node:path';
import { parseEnv, persistenceConfig, type PersistenceConfig } from '../config/env.ts';
import { connectDatabase, type DatabaseHandle } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { ADMIN_SOCKET_NAME, adminSocketAlive, adminSocketRequest } from '../server/admin-socket.ts';

export type SocketCall = (method: string, path: string, body?: unknown) => Promise<{ status: number; json: Record<string, unknown> }>;

export type OperatorChannel = { config: PersistenceConfig } & ({ kind: 'socket'; call: SocketCall } | { kind: 'direct'; handle: DatabaseHandle });

export const openOperatorChannel = async (): Promise<OperatorChannel> => {
  const config = persistenceConfig(parseEnv());
  const socket = join(config.dataDir, ADMIN_SOCKET_NAME);
  if (!config.databaseUrl && (await adminSocketAlive(socket))) {
    return {
      kind: 'socket',
      config,
      call: async (method, path, body) => (await adminSocketRequest(socket, method, path, body)) as { status: number; json: Record<string, unknown> },
    };
  }
  const handle = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrateToLatest(handle.db);
  return { kind: 'direct', config, handle };
};
