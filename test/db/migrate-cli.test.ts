/**
 * `reflector-tracks migrate` as a user runs it, on both backends.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTestDatabase, seedEmptyPglite, type TestDatabase } from '../helpers/databases.ts';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/reflector-tracks.mjs', import.meta.url));
const cli = (env: Record<string, string>, ...args: string[]) => run(process.execPath, [bin, 'migrate', ...args], { env: { PATH: process.env.PATH, ...env } });
let pgDb: TestDatabase | undefined;
afterAll(() => pgDb?.drop());

describe('reflector-tracks migrate', () => {
  it('migrates an empty PGlite under DATA_DIR, then reports it up to date', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'rt-migrate-'));
    // An empty embedded database (initdb done, nothing migrated): PGlite's own initdb from nothing
    // is the demo's and private-data-dir's first start (test/cli/cli.test.ts, test/storage/).
    await seedEmptyPglite(dataDir);
    expect((await cli({ DATA_DIR: dataDir }, '--status')).stdout).toMatch(/^pglite .*pglite: pending 0001-initial/);
    expect((await cli({ DATA_DIR: dataDir })).stdout).toMatch(/applied 0001-initial/);
    expect((await cli({ DATA_DIR: dataDir })).stdout).toMatch(/already up to date/);
  });

  it('migrates an empty PostgreSQL from DATABASE_URL', async () => {
    pgDb = await createTestDatabase('postgres');
    await pgDb.handle.close();
    expect((await cli({ DATABASE_URL: pgDb.url! })).stdout).toMatch(/^postgres postgres:\/\/.*applied 0001-initial/);
  });

  it('refuses a bad DATABASE_URL with a clear message and exit code 1', async () => {
    const error = (await cli({ DATABASE_URL: 'mysql://x' }).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(error.code).toBe(1);
    expect(error.stderr).toContain('DATABASE_URL: must be a postgres:// URL');
  });

  it('says an unreachable database is unreachable, not a failed migration', async () => {
    const error = (await cli({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test' }).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(error.code).toBe(1);
    expect(error.stderr).toMatch(/DB_UNAVAILABLE: The database cannot be reached: .*ECONNREFUSED/);
    expect(error.stderr).not.toContain('Migration');
  });

  it('says a DATA_DIR that cannot hold the embedded database cannot, instead of hanging', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'rt-migrate-')), 'a-file');
    await writeFile(file, 'not a folder');
    const error = (await cli({ DATA_DIR: join(file, 'data') }).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(error.code).toBe(1);
    expect(error.stderr).toMatch(/CONFIG_INVALID: DATA_DIR: cannot keep the embedded database in .*a-file\/data\/pglite \(ENOTDIR\)/);
  });
});
