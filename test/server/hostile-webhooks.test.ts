/**
 * Authentic webhooks always get a 2xx, whatever they carry (Daily disables a webhook after three
 * failed deliveries): NUL and lone surrogates in any string, numbers beyond double range, deep
 * nesting, invalid UTF-8, not JSON at all — stored sanitized with the exact bytes kept, and
 * marked invalid when unusable. Signed events naming objects outside their recording are
 * refused whole. Unsigned ones are 401 before any parsing. On PostgreSQL and PGlite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { H3 } from 'h3';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { signDaily } from '../../src/platforms/daily/signature.ts';
import { signWhereby } from '../../src/platforms/whereby/signature.ts';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { testApp } from '../helpers/app.ts';

const SECRET = Buffer.from('hostile-test-daily-secret-32byte').toString('base64');
const WHEREBY_SECRET = 'whereby-secret-of-16+-bytes';
const ROOM = 'api-test-1j8fizhzd30c/Xcm97xRZ08b2dePKb78g';
const P = '11111111-1111-4111-8111-111111111111';

const ready = (id: string, tracks: string[], extra: Record<string, unknown> = {}) => ({
  version: '1.0.0',
  type: 'recording.ready-to-download',
  id,
  event_ts: Date.now() / 1000,
  payload: {
    type: 'raw-tracks',
    recording_id: `rec-${id}`,
    room_name: 'Xcm97xRZ08b2dePKb78g',
    start_ts: 1692124183,
    s3_key: `${ROOM}/1692124183028`,
    tracks: tracks.map((s3Key) => ({ type: 'audio', s3Key, size: 1 })),
    ...extra,
  },
});
const joined = (id: string, userName: string) => ({
  version: '1.0.0',
  type: 'participant.joined',
  id,
  event_ts: 1692124190,
  payload: { room: 'standup', session_id: `${P}`, user_name: userName, joined_at: 1692124190 },
});

describe.each(BACKENDS)('hostile webhooks on %s', (backend) => {
  let t: TestDatabase;
  let app: H3;
  const postRaw = (raw: string | Uint8Array, secret = SECRET) => {
    const bytes = typeof raw === 'string' ? new TextEncoder().encode(raw) : raw;
    const ts = String(Math.floor(Date.now() / 1000));
    return app.request('/v1/daily/webhook', {
      method: 'POST',
      body: bytes as Uint8Array<ArrayBuffer>,
      headers: { 'x-webhook-timestamp': ts, 'x-webhook-signature': signDaily(bytes, ts, secret) },
    });
  };
  const eventRow = (eventId: string) => t.handle.db.selectFrom('webhook_events').selectAll().where('event_id', '=', eventId).executeTakeFirst();
  const jobs = () => t.handle.db.selectFrom('jobs').selectAll().execute();

  beforeAll(async () => {
    t = await createTestDatabase(backend);
    await migrateToLatest(t.handle.db);
    ({ app } = await testApp(t.handle.db, { daily: { webhookSecretBase64: SECRET, bucket: 'daily' }, whereby: { webhookSecret: WHEREBY_SECRET } }));
  });
  afterAll(() => t?.drop());

  it('stores a participant named with NUL or a lone surrogate, keeps the exact bytes, and answers every redelivery 200', async () => {
    for (const [id, name, stored] of [
      ['ev-nul', 'Mallory\u0000', 'Mallory\uFFFD'],
      ['ev-surrogate', 'Eve\ud800', 'Eve\uFFFD'],
    ] as const) {
      const raw = JSON.stringify(joined(id, name));
      for (let delivery = 0; delivery < 3; delivery++) expect((await postRaw(raw)).status, `${id} #${delivery}`).toBe(200);
      const row = await eventRow(id);
      expect(row).toMatchObject({ status: 'processed', error: expect.stringContaining('sanitized') });
      expect(Buffer.from(row!.raw_body!).toString()).toBe(raw);
      expect(row!.body_sha256).toMatch(/^[0-9a-f]{64}$/);
      const participant = await t.handle.db.selectFrom('participants').select('display_name').where('display_name', '=', stored).executeTakeFirst();
      expect(participant).toBeDefined();
    }
  });

  it('takes NUL and surrogates in keys, event ids and types, numbers beyond double range, deep nesting, invalid UTF-8 and non-JSON: 200, stored, invalid', async () => {
    const deep = `{"version":"1.0.0","type":"meeting.ended","id":"ev-deep","event_ts":1692124190,"payload":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
    const cases: Array<[string, string | Uint8Array, string]> = [
      ['key with NUL', '{"version":"1.0.0","type":"meeting.ended","id":"ev-key","event_ts":1692124190,"payload":{"\\u0000x\\udc00":1}}', 'ev-key'],
      ['id with NUL', '{"version":"1.0.0","type":"meeting.ended","id":"ev-\\u0000id","event_ts":1692124190,"payload":{}}', 'ev-\uFFFDid'],
      ['huge event_ts', '{"version":"1.0.0","type":"participant.joined","id":"ev-huge","event_ts":1e400,"payload":{"room":"r","session_id":"s"}}', 'ev-huge'],
      [
        'huge duration',
        '{"version":"1.0.0","type":"participant.left","id":"ev-huge2","event_ts":1692124190,"payload":{"room":"r","session_id":"s","duration":1e300}}',
        'ev-huge2',
      ],
      [
        '400-digit number',
        `{"version":"1.0.0","type":"participant.left","id":"ev-digits","event_ts":1692124190,"payload":{"room":"r","session_id":"s","duration":${'9'.repeat(400)}}}`,
        'ev-digits',
      ],
      ['deep nesting', deep, 'ev-deep'],
      [
        'invalid UTF-8',
        new Uint8Array([
          ...new TextEncoder().encode('{"version":"1.0.0","type":"meeting.ended","id":"ev-utf8","event_ts":1692124190,"payload":{"n":"'),
          0xff,
          0xfe,
          ...new TextEncoder().encode('"}}'),
        ]),
        'ev-utf8',
      ],
    ];
    for (const [why, raw, eventId] of cases) {
      const response = await postRaw(raw);
      expect(response.status, why).toBe(200);
      const row = await eventRow(eventId);
      expect(row, why).toBeDefined();
      if (why !== 'huge duration') expect(row!.raw_body, why).not.toBeNull();
    }
    expect((await eventRow('ev-huge'))!.status).toBe('invalid');
    expect((await eventRow('ev-huge2'))!.status).toBe('invalid');
    // Beyond double range → null, which this event can do without: used, and the change noted.
    expect(await eventRow('ev-digits')).toMatchObject({ status: 'processed', error: expect.stringContaining('beyond double range') });
    expect((await eventRow('ev-deep'))!).toMatchObject({ status: 'invalid', payload: { unstorable: expect.stringContaining('nested deeper') } });
    const notJson = await postRaw('this is not json \u0000 at all');
    expect(notJson.status).toBe(200);
    const stored = await t.handle.db.selectFrom('webhook_events').selectAll().where('event_id', 'like', 'sha256:%').where('type', '=', 'unknown').execute();
    expect(stored.some((r) => r.status === 'invalid' && Buffer.from(r.raw_body!).toString().startsWith('this is not json'))).toBe(true);
  });

  it('refuses object keys outside the recording: other rooms, other recordings, traversal, non-track names — stored invalid, no job', async () => {
    const good = `${ROOM}/1692124183028-${P}-cam-audio-1692124185012`;
    const foreign = [
      `acme/other-room/1692124183028-${P}-cam-audio-1692124185012`,
      `${ROOM}/1700000000000-${P}-cam-audio-1700000001000`,
      `${ROOM}/../other-room/1692124183028-${P}-cam-audio-1692124185012`,
      `${ROOM}/secrets.json`,
      `/${good}`,
      `${ROOM}/sub/1692124183028-${P}-cam-audio-1692124185012`,
    ];
    const before = (await jobs()).length;
    for (const [i, key] of foreign.entries()) {
      expect((await postRaw(JSON.stringify(ready(`ev-foreign-${i}`, [good, key])))).status, key).toBe(200);
      expect(await eventRow(`ev-foreign-${i}`), key).toMatchObject({ status: 'invalid', error: expect.stringContaining('refused') });
    }
    expect(
      (
        await postRaw(
          JSON.stringify(
            ready(
              'ev-too-many',
              Array.from({ length: 300 }, () => good),
            ),
          ),
        )
      ).status,
    ).toBe(200);
    expect(await eventRow('ev-too-many')).toMatchObject({ status: 'invalid', error: expect.stringContaining('more than') });
    expect((await jobs()).length).toBe(before);
    // The same recording with its own keys only is enqueued.
    expect((await postRaw(JSON.stringify(ready('ev-good', [good])))).status).toBe(200);
    expect((await jobs()).length).toBe(before + 1);
  });

  it('answers 401 to unsigned or wrongly signed bodies without parsing them, and 200 to the unsigned test ping', async () => {
    const ping = await app.request('/v1/daily/webhook', { method: 'POST', body: '{"test":"test"}' });
    expect(ping.status).toBe(200);
    const forged = await postRaw(JSON.stringify(ready('ev-forged', [])), Buffer.from('another-secret-of-enough-bytes!!').toString('base64'));
    expect(forged.status).toBe(401);
    expect(await eventRow('ev-forged')).toBeUndefined();
    const stale = new TextEncoder().encode(JSON.stringify(ready('ev-stale', [])));
    const old = String(Math.floor(Date.now() / 1000) - 3600);
    expect(
      (
        await app.request('/v1/daily/webhook', {
          method: 'POST',
          body: stale,
          headers: { 'x-webhook-timestamp': old, 'x-webhook-signature': signDaily(stale, old, SECRET) },
        })
      ).status,
    ).toBe(401);
  });

  it('takes a Whereby participant with NUL and lone surrogates in its name: 200, stored sanitized', async () => {
    const body = {
      id: 'wb-nul',
      apiVersion: '1.0',
      createdAt: '2026-11-29T09:00:05.000Z',
      type: 'room.client.joined',
      data: { roleName: 'host', displayName: 'Mal\u0000lory\udfff', roomName: '/room-x', participantId: 'part-x', roomSessionId: 's' },
    };
    const raw = JSON.stringify(body);
    const ts = Math.floor(Date.now() / 1000);
    for (let i = 0; i < 2; i++) {
      const response = await app.request('/v1/whereby/webhook', {
        method: 'POST',
        body: raw,
        headers: { 'whereby-signature': signWhereby(raw, ts, WHEREBY_SECRET) },
      });
      expect(response.status).toBe(200);
    }
    expect(await eventRow('wb-nul')).toMatchObject({ status: 'processed', error: expect.stringContaining('sanitized') });
    expect(await t.handle.db.selectFrom('participants').select('display_name').where('platform_participant_id', '=', 'part-x').executeTakeFirst()).toEqual({
      display_name: 'Mal\uFFFDlory\uFFFD',
    });
  });
});
