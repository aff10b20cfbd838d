/**
 * The Whereby webhook through the h3 app on PostgreSQL, payloads as in docs.whereby.com/reference/webhooks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { H3 } from 'h3';
import { testApp } from '../helpers/app.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { signWhereby } from '../../src/platforms/whereby/signature.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';

const SECRET = 'whereby-secret';
let t: TestDatabase;
let app: H3;

const joined = (id: string, type = 'room.client.joined', extra: Record<string, unknown> = {}) => ({
  id,
  apiVersion: '1.0',
  createdAt: '2026-11-29T09:00:05.000Z',
  type,
  data: {
    roleName: 'host',
    displayName: 'Joe Bloggs',
    meetingId: '134',
    roomName: '/teamsync-2f1c0a5e-4d1b-4a0e-9b1a-0c2f3e4d5a6b',
    subdomain: 'acme',
    roomSessionId: 'sess-1',
    participantId: 'part-1',
    numClients: 2,
    ...extra,
  },
});
const post = (body: unknown, options: { path?: string; secret?: string; pretty?: boolean; ts?: number } = {}) => {
  const compact = JSON.stringify(body);
  const ts = options.ts ?? Math.floor(Date.now() / 1000);
  return app.request(options.path ?? '/v1/whereby/webhook', {
    method: 'POST',
    body: options.pretty ? JSON.stringify(body, null, 2) : compact,
    headers: { 'content-type': 'application/json', 'whereby-signature': signWhereby(compact, ts, options.secret ?? SECRET) },
  });
};

beforeAll(async () => {
  t = await createTestDatabase('postgres');
  await migrateToLatest(t.handle.db);
  ({ app } = await testApp(t.handle.db, { whereby: { webhookSecret: SECRET } }));
});
afterAll(() => t?.drop());

describe('Whereby webhook', () => {
  it('rejects a bad or stale signature with 401 and records nothing', async () => {
    expect((await post(joined('e1'), { secret: 'wrong' })).status).toBe(401);
    expect((await post(joined('e1'), { ts: Math.floor(Date.now() / 1000) - 3600 })).status).toBe(401);
    expect(await t.handle.db.selectFrom('webhook_events').select('id').execute()).toEqual([]);
  });

  it('records a participant once, on either path, and accepts a re-serialised body', async () => {
    expect((await post(joined('e1'))).status).toBe(200);
    expect((await post(joined('e1'), { path: '/v1/whereby' })).status).toBe(200);
    expect((await post(joined('e2', 'room.client.left'), { pretty: true })).status).toBe(200);
    const participants = await t.handle.db.selectFrom('participants').selectAll().execute();
    expect(participants).toHaveLength(1);
    expect(participants[0]).toMatchObject({ platform_participant_id: 'part-1', platform_session_id: 'sess-1', display_name: 'Joe Bloggs' });
    expect(participants[0]!.left_at).toBeInstanceOf(Date);
    const meeting = await t.handle.db.selectFrom('meetings').selectAll().executeTakeFirstOrThrow();
    expect(meeting).toMatchObject({ platform: 'whereby', room_name: 'teamsync-2f1c0a5e-4d1b-4a0e-9b1a-0c2f3e4d5a6b', origin: 'discovered' });
    expect(await t.handle.db.selectFrom('webhook_events').select('event_id').orderBy('event_id').execute()).toEqual([{ event_id: 'e1' }, { event_id: 'e2' }]);
  });

  it('ignores the recorder client, records recording.finished, and answers 200 to other types', async () => {
    expect((await post(joined('e3', 'room.client.joined', { roleName: 'recorder', participantId: 'rec-bot' }))).status).toBe(200);
    const finished = {
      id: 'e4',
      apiVersion: '1.0',
      createdAt: '2026-11-29T10:00:00Z',
      type: 'recording.finished',
      data: { filename: 'teamsync-2f1c-2026-11-29T09:00:00Z.mp4', recordingId: 'r1', roomName: '/teamsync', status: 'completed' },
    };
    expect((await post(finished)).status).toBe(200);
    expect((await post({ ...finished, id: 'e5', type: 'assistant.requested' })).status).toBe(200);
    const events = await t.handle.db
      .selectFrom('webhook_events')
      .select(['event_id', 'status'])
      .where('event_id', 'in', ['e3', 'e4', 'e5'])
      .orderBy('event_id')
      .execute();
    expect(events).toEqual([
      { event_id: 'e3', status: 'ignored' },
      { event_id: 'e4', status: 'processed' },
      { event_id: 'e5', status: 'ignored' },
    ]);
    expect(await t.handle.db.selectFrom('participants').select('id').execute()).toHaveLength(1);
  });
});
