/**
 * `database` and `migrations`. PostgreSQL is asked directly. The embedded database (PGlite) is
 * one process's: while a service holds it, the doctor asks that service through its admin socket
 * (its /readyz: database and migrations) instead of opening the files a second time.
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import type { PersistenceConfig } from '../config/env.ts';
import { connectDatabase, type DatabaseHandle } from '../db/connect.ts';
import { pendingMigrations } from '../db/migrate.ts';
import { ADMIN_SOCKET_NAME, adminSocketAlive, adminSocketRequest } from '../server/admin-socket.ts';
import { fail, notApplicable, pass, type Check } from './check.ts';

type Database =
  | { via: 'socket'; readyz: { ready: boolean; reason?: string } }
  | { via: 'direct'; handle: DatabaseHandle; where: string }
  | { via: 'none'; why: string };

const redact = (url: string) => url.replace(/\/\/([^:@/]+)(:[^@/]*)?@/, '//$1@');

export const databaseChecks = (config: PersistenceConfig): { checks: Check[]; close: () => Promise<void> } => {
  let opened: Promise<Database> | undefined;
  const open = (): Promise<Database> =>
    (opened ??= (async (): Promise<Database> => {
      if (config.databaseUrl) {
        return { via: 'direct', handle: await connectDatabase({ databaseUrl: config.databaseUrl }), where: `PostgreSQL ${redact(config.databaseUrl)}` };
      }
      const socket = join(config.dataDir, ADMIN_SOCKET_NAME);
      if (await adminSocketAlive(socket)) {
        const { json } = await adminSocketRequest(socket, 'GET', '/readyz');
        return { via: 'socket', readyz: json as { ready: boolean; reason?: string } };
      }
      const dir = resolve(config.dataDir, 'pglite');
      if (!(await stat(dir).catch(() => null))) return { via: 'none', why: `no embedded database at ${dir} yet (serve or migrate creates it)` };
      return { via: 'direct', handle: await connectDatabase({ dataDir: config.dataDir }), where: `embedded PGlite ${dir}` };
    })());

  const checks: Check[] = [
    {
      name: 'database',
      run: async () => {
        const db = await open().catch((error: Error) => error);
        if (db instanceof Error)
          return fail(
            `cannot connect: ${db.message}`,
            config.databaseUrl ? 'check DATABASE_URL and that PostgreSQL accepts connections from this host' : 'check DATA_DIR',
          );
        if (db.via === 'none') return notApplicable(db.why);
        if (db.via === 'socket') {
          const down = db.readyz.reason?.startsWith('database unreachable');
          return down
            ? fail(`the running service says: ${db.readyz.reason}`, 'see the service’s log and its GET /readyz')
            : pass('embedded PGlite, held by a running service: asked through its admin socket (/readyz)');
        }
        await sql`select 1`.execute(db.handle.db);
        return pass(`${db.where} answers`);
      },
    },
    {
      name: 'migrations',
      run: async () => {
        const db = await open().catch((error: Error) => error);
        if (db instanceof Error) return fail(`database unreachable: ${db.message}`, 'fix the database check first');
        if (db.via === 'none') return notApplicable(db.why);
        const pending =
          db.via === 'socket' ? (db.readyz.reason?.match(/pending migrations: (.*)/)?.[1]?.split(', ') ?? []) : await pendingMigrations(db.handle.db);
        return pending.length
          ? fail(`pending: ${pending.join(', ')}`, 'run `reflector-tracks migrate` (serve also migrates when it starts)')
          : pass(db.via === 'socket' ? 'none pending (the running service’s /readyz)' : 'none pending');
      },
    },
  ];
  return {
    checks,
    close: async () => {
      const db = await opened?.catch(() => undefined);
      if (db?.via === 'direct') await db.handle.close();
    },
  };
};
