/**
 * A pool whose every connection is busy is load, not an outage: a delivery that waited the
 * pool's checkout limit is shed like any other (503 UNAVAILABLE, Retry-After 1) and the
 * "database unavailable" switch does not trip, so the next delivery is recorded at once. Had it
 * tripped, every delivery for a second would be refused and a storm would feed on itself.
 * PostgreSQL, a pool of one connection held by a slow statement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve } from 'h3';
import { sql } from 'kysely';
import { connectDatabase, type DatabaseHandle } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { testApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { postDaily } from '../helpers/daily-webhooks.ts';
import { waitUntil } from '../helpers/wait.ts';

const SECRET = Buffer.from('busy-pool-daily-secret-32-bytes!').toString('base64');
let t: TestDatabase;
let one: DatabaseHandle;
let server: ReturnType<typeof serve>;

const joined = (id: string) => ({
  version: '1.0.0',
  type: 'participant.joined',
  id,
  event_ts: Date.now() / 1000,
  payload: { room: 'busy-room', session_id: `${id}-session`, user_name: id, joined_at: Date.now() / 1000 },
});

beforeAll(async () => {
  t = await createTestDatabase('postgres');
  await migrateToLatest(t.handle.db);
  one = await connectDatabase({ databaseUrl: t.url!, poolSize: 1 });
  const { app } = await testApp(one.db, { daily: { bucket: 'daily', webhookSecretBase64: SECRET } }, { keys: false });
  server = serve(app, { port: 0, hostname: '127.0.0.1', silent: true });
  await server.ready();
});
afterAll(async () => {
  await server?.close(true);
  await one?.close();
  await t?.drop();
});

describe('a busy pool', () => {
  it('sheds the delivery that waited too long for a connection, and records the next at once', async () => {
    // The pool's one connection, held longer than its checkout limit (connect.ts: 3 s).
    const held = sql`select pg_sleep(4)`.execute(one.db);
    await waitUntil(
      'the slow statement to hold the connection',
      async () =>
        (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where query like 'select pg_sleep(4)%'`.execute(t.handle.db)).rows[0]!.n ===
        1,
    );
    const shed = await postDaily(server.url!, joined('ev-busy-1'), SECRET);
    expect(shed.status).toBe(503);
    expect(shed.headers.get('retry-after')).toBe('1');
    expect((await shed.json()).error.code).toBe('UNAVAILABLE');
    await held;
    const next = await postDaily(server.url!, joined('ev-busy-2'), SECRET);
    expect(next.status).toBe(200);
    const stored = await t.handle.db.selectFrom('webhook_events').select('event_id').execute();
    expect(stored.map((r) => r.event_id)).toEqual(['ev-busy-2']);
  });
});
