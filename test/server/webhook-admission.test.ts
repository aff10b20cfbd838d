/**
 * Webhook admission on a real socket server over PostgreSQL, attacked while Daily delivers:
 * unsigned uploads that send a byte and hang up, slow bodies that never end, a poison event
 * whose handling fails in SQL and one the database refuses to store at all. Authentic
 * deliveries keep being answered 200 and stored once; the poison one is stored `invalid`; the
 * unstorable one alone is 500; slow uploads are dropped beyond the cap of unverified reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { serve } from 'h3';
import { sql } from 'kysely';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { testApp } from '../helpers/app.ts';
import { postDaily } from '../helpers/daily-webhooks.ts';
import { waitUntil } from '../helpers/wait.ts';

const SECRET = Buffer.from('admission-test-daily-secret-32b!').toString('base64');
const MAX_UNVERIFIED_READS = 16;
let t: TestDatabase;
let server: ReturnType<typeof serve>;
let url: string;
const logs: Array<Record<string, unknown>> = [];

const participant = (id: string) => ({
  version: '1.0.0',
  type: 'participant.joined',
  id,
  event_ts: Date.now() / 1000,
  payload: { room: `room-${id.length % 7}`, session_id: `${id}-session`, user_name: id, joined_at: Date.now() / 1000 },
});

/** An unsigned upload that declares 1,000 bytes, sends one and hangs up. */
const abortedUpload = () =>
  new Promise<void>((resolve) => {
    const { port } = new URL(url);
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write('POST /v1/daily/webhook HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{');
      setImmediate(() => socket.destroy());
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve());
  });

/** An unsigned upload that sends a byte every 200 ms and never ends; `closed` once the server drops it. */
const slowUpload = () => {
  const { port } = new URL(url);
  const socket = connect(Number(port), '127.0.0.1', () =>
    socket.write('POST /v1/daily/webhook HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{'),
  );
  const drip = setInterval(() => socket.writable && socket.write(' '), 200);
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  void closed.then(() => clearInterval(drip));
  return { closed, destroy: () => socket.destroy() };
};

beforeAll(async () => {
  t = await createTestDatabase('postgres');
  await migrateToLatest(t.handle.db);
  const { app } = await testApp(
    t.handle.db,
    {
      daily: { bucket: 'daily', webhookSecretBase64: SECRET },
      maxUnverifiedWebhookReads: MAX_UNVERIFIED_READS,
      webhookBodyTimeoutMs: 3000,
      log: (e) => logs.push(e),
    },
    { keys: false },
  );
  server = serve(app, { port: 0, hostname: '127.0.0.1', silent: true });
  await server.ready();
  url = server.url!;
});
afterAll(async () => {
  await server?.close(true);
  await t?.drop();
});

describe('webhook admission', () => {
  it('answers authentic deliveries 200 through an abort storm and slow uploads; a poison event is stored invalid, an unstorable one alone is 500', async () => {
    const admin = t.handle.db;
    // Poison: handling one event fails in SQL (a trigger's exception on its participant); and the
    // database refuses to store another event id at all, so its filing as invalid fails too.
    await sql
      .raw(
        `create function refuse_poison() returns trigger language plpgsql as $$ begin
           if new.display_name = 'ev-poison' then raise exception 'poison participant (test)'; end if; return new; end $$;
         create trigger refuse_poison before insert on participants for each row execute function refuse_poison();
         create function refuse_event() returns trigger language plpgsql as $$ begin
           if new.event_id = 'ev-unstorable' then raise exception 'refused (test)'; end if; return new; end $$;
         create trigger refuse_event before insert on webhook_events for each row execute function refuse_event();`,
      )
      .execute(admin);

    const slow = Array.from({ length: 40 }, slowUpload);
    let storming = true;
    let aborted = 0;
    const storm = (async () => {
      while (storming) {
        await Promise.all(Array.from({ length: 5 }, abortedUpload));
        aborted += 5;
      }
    })();

    const AUTHENTIC = 200;
    const statuses: number[] = [];
    const accepted: string[] = [];
    await Promise.all(
      Array.from({ length: AUTHENTIC }, async (_, i) => {
        await new Promise((r) => setTimeout(r, i * 12.5)); // ~80 per second, all of it while the slow uploads still hold their reads (3 s deadline)
        const id = `ev-authentic-${i}`;
        const response = await postDaily(url, participant(id), SECRET).catch(() => null);
        statuses.push(response?.status ?? 0);
        if (response?.status === 200) accepted.push(id);
      }),
    );
    const poison = await postDaily(url, participant('ev-poison'), SECRET);
    const unstorable = await postDaily(url, participant('ev-unstorable'), SECRET);
    const unsigned = await postDaily(url, participant('ev-unsigned'), Buffer.from('another-secret-of-32-bytes-long!').toString('base64'));
    storming = false;
    await storm;

    const ok = statuses.filter((s) => s === 200).length;
    console.log(
      `admission: ${ok}/${AUTHENTIC} authentic answered 200 beside ${aborted} aborted and 40 slow uploads; others: ${statuses.filter((s) => s !== 200)}`,
    );
    expect(ok).toBeGreaterThanOrEqual(AUTHENTIC * 0.95);
    const stored = await admin.selectFrom('webhook_events').select(['event_id', 'status']).where('event_id', 'like', 'ev-authentic-%').execute();
    expect(stored.map((r) => r.event_id).sort()).toEqual(expect.arrayContaining(accepted.sort()));
    expect(new Set(stored.map((r) => r.event_id)).size).toBe(stored.length);

    expect(poison.status).toBe(200);
    const poisonRow = await admin.selectFrom('webhook_events').select(['status', 'error']).where('event_id', '=', 'ev-poison').executeTakeFirst();
    expect(poisonRow).toMatchObject({ status: 'invalid', error: 'not processed: P0001: poison participant (test)' });

    expect(unstorable.status).toBe(500);
    expect(await unstorable.json()).toEqual({ error: { code: 'INTERNAL', message: expect.stringContaining('ev-unstorable') } });
    expect(logs).toContainEqual(expect.objectContaining({ level: 'error', eventId: 'ev-unstorable' }));

    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: 'webhook signature: signature mismatch' } });
    // Nothing here was the database being away: the switch never tripped.
    expect(logs.filter((l) => String(l.msg).includes('database connection failed'))).toEqual([]);

    // Beyond the cap, the oldest slow uploads were dropped; the rest end at the body deadline.
    await Promise.all(slow.map((s) => s.closed));
    await sql.raw('drop function refuse_poison() cascade; drop function refuse_event() cascade').execute(admin);
  });

  it('drops the oldest unverified read once the cap is reached', async () => {
    const slow = Array.from({ length: MAX_UNVERIFIED_READS }, slowUpload);
    let closedEarly = 0;
    for (const s of slow) void s.closed.then(() => closedEarly++);
    // Each further upload past the cap pushes the oldest one out.
    const more = Array.from({ length: 4 }, slowUpload);
    await waitUntil('four dropped', async () => closedEarly >= 4, 10_000);
    expect(closedEarly).toBeLessThan(MAX_UNVERIFIED_READS);
    for (const s of [...slow, ...more]) s.destroy();
  });
});
