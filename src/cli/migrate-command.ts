/**
 * `reflector-tracks migrate`: applies pending migrations to the configured database
 * (DATABASE_URL, or PGlite under DATA_DIR).
 */
import { parseEnv, persistenceConfig } from '../config/env.ts';
import { connectDatabase } from '../db/connect.ts';
import { migrateToLatest, pendingMigrations } from '../db/migrate.ts';
import { parseCommandArgs, type Command } from './command.ts';

const help = `Usage: reflector-tracks migrate [--status]

Applies every pending database migration (also done on every start of the server).
  DATABASE_URL   postgres://… ; unset: embedded PGlite under DATA_DIR (default ./data)
  --status       list pending migrations without applying them`;

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply database migrations (PostgreSQL or embedded PGlite)',
  help,
  async run(argv) {
    const { values } = parseCommandArgs(argv, { status: { type: 'boolean' } });
    const config = persistenceConfig(parseEnv());
    const handle = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      if (values.status) {
        const pending = await pendingMigrations(handle.db);
        process.stdout.write(`${handle.kind} ${handle.location}: ${pending.length ? `pending ${pending.join(', ')}` : 'up to date'}\n`);
        return 0;
      }
      const applied = await migrateToLatest(handle.db);
      process.stdout.write(`${handle.kind} ${handle.location}: ${applied.length ? `applied ${applied.join(', ')}` : 'already up to date'}\n`);
      return 0;
    } finally {
      await handle.close();
    }
  },
};
