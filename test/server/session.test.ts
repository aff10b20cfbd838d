/**
 * The operator view's session (issue 30) on PostgreSQL: an API key exchanged for a cookie whose
 * flags keep it from scripts and other sites, which then stands for the key on every route —
 * its scope and its meetings only — until sign-out or the key's revocation; cookie-authenticated
 * writes without the page's header, or from another site, are refused (CSRF).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { H3 } from 'h3';
import { createApiKey, revokeApiKey } from '../../src/auth/api-keys.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { testApp } from '../helpers/app.ts';

let t: TestDatabase;
let app: H3;
let keys: Awaited<ReturnType<typeof testApp>>['keys'];
const PAGE = { 'content-type': 'application/json', 'x-requested-with': 'reflector-tracks', 'sec-fetch-site': 'same-origin' };
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

const signIn = async (apiKey: string, headers: Record<string, string> = PAGE) =>
  app.request('/v1/session', { method: 'POST', headers, body: JSON.stringify({ apiKey }) });
const cookieOf = (response: Response) => response.headers.get('set-cookie')!.split(';')[0]!;

/** A meeting owned by `owner` with one recording in `status`; the recording's id. */
const recordingOf = async (owner: string, status: 'processed' | 'failed', room: string) => {
  const meeting = await t.handle.db
    .insertInto('meetings')
    .values({ platform: 'daily', room_name: room, origin: 'api', owner })
    .returning('id')
    .executeTakeFirstOrThrow();
  const recording = await t.handle.db
    .insertInto('recordings')
    .values({ meeting_id: meeting.id, platform: 'daily', platform_recording_id: `r-${room}`, bucket: 'daily', object_keys: '[]', status })
    .returning('id')
    .executeTakeFirstOrThrow();
  return recording.id;
};

beforeAll(async () => {
  t = await createTestDatabase('postgres');
  await migrateToLatest(t.handle.db);
  ({ app, keys } = await testApp(t.handle.db));
});
afterAll(() => t?.drop());

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Strict, for /v1 only, as long as the session; Secure behind HTTPS; the answer never repeats the key', async () => {
    const answer = await signIn(keys.read.token);
    expect(answer.status).toBe(201);
    const cookie = answer.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^rt_session=rts_[A-Za-z0-9_-]{43}; /);
    const flags = cookie.split('; ').slice(1);
    expect(flags).toEqual(expect.arrayContaining(['Path=/v1', 'HttpOnly', 'SameSite=Strict', 'Max-Age=43200']));
    expect(flags).not.toContain('Secure');
    const body = await answer.text();
    expect(body).not.toContain(keys.read.token);
    expect(JSON.parse(body)).toMatchObject({ caller: { kind: 'key', name: 'test read', scope: 'read' } });
    const behindTls = await signIn(keys.read.token, { ...PAGE, 'x-forwarded-proto': 'https' });
    expect(behindTls.headers.get('set-cookie')!.split('; ')).toContain('Secure');
    // Only its hash is stored.
    const stored = await t.handle.db.selectFrom('sessions').select('token_sha256').execute();
    expect(stored.map((s) => s.token_sha256)).not.toContain(cookieOf(answer).split('=')[1]);
  });

  it('refuses a wrong key (401) and a sign-in without the page’s header or from another site (403 CSRF)', async () => {
    expect((await signIn(`rt_${'x'.repeat(43)}`)).status).toBe(401);
    const bare = await signIn(keys.read.token, { 'content-type': 'text/plain' });
    expect(bare.status).toBe(403);
    expect((await bare.json()).error.code).toBe('CSRF');
    expect((await signIn(keys.read.token, { ...PAGE, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
  });

  it('stands for its key: that key’s recordings only, and its scope', async () => {
    const a = await createApiKey(t.handle.db, { name: 'alpha', scope: 'write' });
    const b = await createApiKey(t.handle.db, { name: 'beta', scope: 'read' });
    const mine = await recordingOf(`key:${a.id}`, 'failed', 'alpha-room');
    const theirs = await recordingOf(`key:${b.id}`, 'failed', 'beta-room');
    const alpha = cookieOf(await signIn(a.token));
    const beta = cookieOf(await signIn(b.token));
    const list = async (cookie: string) =>
      ((await (await app.request('/v1/recordings', { headers: { cookie } })).json()) as { recordings: Array<{ id: string }> }).recordings.map((r) => r.id);
    expect(await list(alpha)).toEqual([mine]);
    expect(await list(beta)).toEqual([theirs]);
    expect((await app.request(`/v1/recordings/${theirs}`, { headers: { cookie: alpha } })).status).toBe(404);
    // A read key's session may not write, whatever the page sends.
    const readWrite = await app.request(`/v1/recordings/${theirs}/reprocess`, { method: 'POST', headers: { cookie: beta, ...PAGE } });
    expect(readWrite.status).toBe(403);
    expect((await readWrite.json()).error.code).toBe('FORBIDDEN');
    // A write key's session writes only with the page's header, from the page's own origin.
    const forged = await app.request(`/v1/recordings/${NO_SUCH_ID}/reprocess`, { method: 'POST', headers: { cookie: alpha } });
    expect(forged.status).toBe(403);
    expect((await forged.json()).error.code).toBe('CSRF');
    const crossSite = await app.request(`/v1/recordings/${NO_SUCH_ID}/reprocess`, {
      method: 'POST',
      headers: { cookie: alpha, ...PAGE, 'sec-fetch-site': 'same-site' },
    });
    expect(crossSite.status).toBe(403);
    const fromPage = await app.request(`/v1/recordings/${NO_SUCH_ID}/reprocess`, { method: 'POST', headers: { cookie: alpha, ...PAGE } });
    expect(fromPage.status).toBe(404);
    // GET /v1/session says who.
    const who = await (await app.request('/v1/session', { headers: { cookie: alpha } })).json();
    expect(who).toMatchObject({ caller: { kind: 'key', name: 'alpha', scope: 'write' }, session: { expiresAt: expect.any(String) } });
  });

  it('dies with its key’s revocation, and on sign-out (the server forgets it; the cookie is cleared)', async () => {
    const doomed = await createApiKey(t.handle.db, { name: 'doomed', scope: 'read' });
    const cookie = cookieOf(await signIn(doomed.token));
    expect((await app.request('/v1/session', { headers: { cookie } })).status).toBe(200);
    await revokeApiKey(t.handle.db, doomed.id);
    expect((await app.request('/v1/session', { headers: { cookie } })).status).toBe(401);
    expect((await app.request('/v1/recordings', { headers: { cookie } })).status).toBe(401);

    const session = cookieOf(await signIn(keys.read.token));
    const withoutHeader = await app.request('/v1/session', { method: 'DELETE', headers: { cookie: session } });
    expect(withoutHeader.status).toBe(403);
    const out = await app.request('/v1/session', { method: 'DELETE', headers: { cookie: session, ...PAGE } });
    expect(out.status).toBe(200);
    expect(await out.json()).toEqual({ signedOut: true });
    expect(out.headers.get('set-cookie')!.split('; ')).toEqual(expect.arrayContaining(['rt_session=', 'Max-Age=0', 'Path=/v1']));
    // The same cookie, replayed after sign-out, is refused.
    expect((await app.request('/v1/recordings', { headers: { cookie: session } })).status).toBe(401);
  });
});

describe('signing in again', () => {
  it('replaces the session the browser held, and a session marks its key as used', async () => {
    const first = cookieOf(await signIn(keys.write.token));
    const me = (cookie: string) => app.request('/v1/session', { headers: { cookie } });
    expect((await me(first)).status).toBe(200);
    const second = await signIn(keys.write.token, { ...PAGE, cookie: first });
    expect(second.status).toBe(201);
    expect((await me(first)).status).toBe(401);
    expect((await me(cookieOf(second))).status).toBe(200);
    // A key used only through its session shows as used (GET /v1/api-keys), at minute resolution.
    await t.handle.db.updateTable('api_keys').set({ last_used_at: null }).where('id', '=', keys.write.id).execute();
    await me(cookieOf(second));
    const row = await t.handle.db.selectFrom('api_keys').select('last_used_at').where('id', '=', keys.write.id).executeTakeFirstOrThrow();
    expect(row.last_used_at).not.toBeNull();
  });

  it('counts no session when the request carries two session cookies (one planted by a sibling host)', async () => {
    const mine = cookieOf(await signIn(keys.write.token));
    const planted = cookieOf(await signIn(keys.read.token));
    expect((await app.request('/v1/session', { headers: { cookie: mine } })).status).toBe(200);
    expect((await app.request('/v1/session', { headers: { cookie: `${planted}; ${mine}` } })).status).toBe(401);
  });
});
