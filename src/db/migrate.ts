/**
 * Migrations, applied on start and by `reflector-tracks migrate`. The list is static imports
 * (not a directory scan) so it works the same under Node, vitest and a bundler.
 */
import { type Kysely, sql } from 'kysely';
import { Migrator, type Migration, type MigrationResultSet } from 'kysely/migration';
import { TracksError } from '../errors.ts';
import type { Database } from './schema.ts';
import * as initial from './migrations/0001-initial.ts';
import * as access from './migrations/0002-access.ts';
import * as states from './migrations/0003-states.ts';
import * as transcription from './migrations/0004-transcription.ts';
import * as tombstones from './migrations/0005-tombstones.ts';
import * as jobRecording from './migrations/0006-job-recording.ts';
import * as sessions from './migrations/0007-sessions.ts';

export const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-access': access,
  '0003-states': states,
  '0004-transcription': transcription,
  '0005-tombstones': tombstones,
  '0006-job-recording': jobRecording,
  '0007-sessions': sessions,
};

const migrator = (db: Kysely<Database>) =>
  new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });

/** Applies every pending migration; throws `DB_MIGRATION_FAILED` naming the one that failed. */
export const migrateToLatest = async (db: Kysely<Database>): Promise<string[]> => {
  // An unreachable database is not a failed migration: say which it is.
  await sql`select 1`.execute(db).catch((cause: Error) => {
    throw new TracksError('DB_UNAVAILABLE', `The database cannot be reached: ${cause.message || (cause as { code?: string }).code || cause.name}`, { cause });
  });
  const { error, results }: MigrationResultSet = await migrator(db).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new TracksError('DB_MIGRATION_FAILED', `Migration ${failed?.migrationName ?? ''} failed: ${(error as Error)?.message ?? 'unknown error'}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
};

/** Names of migrations not yet applied (readiness checks). */
export const pendingMigrations = async (db: Kysely<Database>): Promise<string[]> =>
  (await migrator(db).getMigrations()).filter((m) => !m.executedAt).map((m) => m.name);
