/**
 * `reflector-tracks api-keys` on PostgreSQL (DATABASE_URL), as an operator runs it: create prints
 * the token last, list never shows it, revoke ends it; the token authenticates through the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../src/auth/authenticate.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { runCli } from '../helpers/serve-process.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('postgres');
});
afterAll(() => t?.drop());

describe('api-keys on PostgreSQL', () => {
  it('creates, lists and revokes keys; the printed token authenticates until revoked', async () => {
    const env = { DATABASE_URL: t.url! };
    const made = await runCli(['api-keys', 'create', '--name', 'ops', '--scope', 'write'], env);
    expect(made.code, made.stderr).toBe(0);
    const token = made.stdout.trim().split('\n').at(-1)!;
    expect(token).toMatch(/^rt_[A-Za-z0-9_-]{43}$/);
    const auth = createAuthenticator({ db: t.handle.db });
    expect(await auth(new Headers({ authorization: `Bearer ${token}` }))).toMatchObject({ ok: true, principal: { kind: 'key', scope: 'write', name: 'ops' } });
    const list = await runCli(['api-keys', 'list', '--json'], env);
    const [key] = JSON.parse(list.stdout) as Array<{ id: string; name: string; scope: string }>;
    expect(key).toMatchObject({ name: 'ops', scope: 'write' });
    expect(list.stdout).not.toContain(token);
    expect((await runCli(['api-keys', 'revoke', key!.id], env)).code).toBe(0);
    expect(await auth(new Headers({ authorization: `Bearer ${token}` }))).toMatchObject({ ok: false, status: 401 });
    const again = await runCli(['api-keys', 'revoke', key!.id], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('no active key');
  });
});
