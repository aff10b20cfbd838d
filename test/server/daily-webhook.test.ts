/**
 * The Daily webhook through the h3 app, on a real PostgreSQL, with payloads from
 * Daily's webhook docs (docs.daily.co/reference/rest-api/webhooks) and signatures made as Daily makes them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../helpers/app.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { signDaily } from '../../src/platforms/daily/signature.ts';
import { PROCESS_MULTITRACK_RECORDING } from '../../src/recordings/recording-jobs.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import type { H3 } from 'h3';

const SECRET = Buffer.from('a-daily-hmac-secret-of-some-length').toString('base64');
let t: TestDatabase;
let app: H3;

const post = (body: unknown, options: { secret?: string; timestamp?: number; raw?: string } = {}) => {
  const raw = options.raw ?? JSON.stringify(body);
  const ts = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  return app.request('/v1/daily/webhook', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-webhook-timestamp': ts,
      'x-webhook-signature': signDaily(new TextEncoder().encode(raw), ts, options.secret ?? SECRET),
    },
    body: raw,
  });
};

const ready = (id: string, recordingId = '08fa0b24-9220-44c5-846c-3f116cf8e738') => ({
  version: '1.0.0',
  type: 'recording.ready-to-download',
  id,
  payload: {
    type: 'raw-tracks',
    recording_id: recordingId,
    room_name: 'Xcm97xRZ08b2dePKb78g',
    start_ts: 1692124183,
    status: 'finished',
    duration: 9,
    s3_key: 'api-test-1j8fizhzd30c/Xcm97xRZ08b2dePKb78g/1692124183028',
    tracks: [
      {
        type: 'audio',
        s3Key: 'api-test-1j8fizhzd30c/Xcm97xRZ08b2dePKb78g/1692124183028-11111111-1111-4111-8111-111111111111-cam-audio-1692124185012',
        size: 123456,
      },
      {
        type: 'video',
        s3Key: 'api-test-1j8fizhzd30c/Xcm97xRZ08b2dePKb78g/1692124183028-11111111-1111-4111-8111-111111111111-cam-video-1692124184100',
        size: 999999,
      },
      {
        type: 'audio',
        s3Key: 'api-test-1j8fizhzd30c/Xcm97xRZ08b2dePKb78g/1692124183028-22222222-2222-4222-8222-222222222222-screen-audio-1692124190000',
        size: 5000,
      },
    ],
  },
  event_ts: 1692124192.96,
});

const METRICS_TOKEN = 'metrics-token-for-the-test';

beforeAll(async () => {
  t = await createTestDatabase('postgres');
  ({ app } = await testApp(t.handle.db, { daily: { webhookSecretBase64: SECRET, bucket: 'daily-raw' }, metricsToken: METRICS_TOKEN }, { keys: false }));
});
afterAll(() => t?.drop());

describe('readiness', () => {
  it('is not ready before migrations, ready after', async () => {
    expect((await app.request('/healthz')).status).toBe(200);
    const before = await app.request('/readyz');
    expect(before.status).toBe(503);
    expect(await before.json()).toMatchObject({ ready: false, reason: expect.stringContaining('pending migrations: 0001-initial, 0002-access') });
    await migrateToLatest(t.handle.db);
    expect(await (await app.request('/readyz')).json()).toEqual({ ready: true });
  });
});

describe('Daily webhook', () => {
  it("answers Daily's test ping with 200 and records nothing", async () => {
    const response = await app.request('/v1/daily/webhook', { method: 'POST', body: '{"test":"test"}' });
    expect(response.status).toBe(200);
    expect(await t.handle.db.selectFrom('webhook_events').select('id').execute()).toEqual([]);
  });

  it('rejects a bad signature or a stale timestamp with 401 and records nothing', async () => {
    expect((await post(ready('ev-bad'), { secret: Buffer.from('wrong').toString('base64') })).status).toBe(401);
    expect((await post(ready('ev-stale'), { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
    const tampered = await app.request('/v1/daily/webhook', {
      method: 'POST',
      headers: {
        'x-webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'x-webhook-signature': signDaily(new TextEncoder().encode('{}'), String(Math.floor(Date.now() / 1000)), SECRET),
      },
      body: JSON.stringify(ready('ev-tampered')),
    });
    expect(tampered.status).toBe(401);
    expect(await t.handle.db.selectFrom('webhook_events').select('id').execute()).toEqual([]);
    expect(await t.handle.db.selectFrom('jobs').select('id').execute()).toEqual([]);
  });

  it('turns recording.ready-to-download into one job with the audio tracks only', async () => {
    const response = await post(ready('rec-rtd-1'));
    expect(response.status).toBe(200);
    const jobs = await t.handle.db.selectFrom('jobs').selectAll().execute();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      kind: PROCESS_MULTITRACK_RECORDING,
      idempotency_key: 'daily:08fa0b24-9220-44c5-846c-3f116cf8e738',
      payload: {
        platform: 'daily',
        platformRecordingId: '08fa0b24-9220-44c5-846c-3f116cf8e738',
        bucket: 'daily-raw',
        roomName: 'Xcm97xRZ08b2dePKb78g',
        recordingStartMs: 1692124183028,
        objects: [
          { key: expect.stringMatching(/-cam-audio-1692124185012$/), screenShare: false },
          { key: expect.stringMatching(/-screen-audio-1692124190000$/), screenShare: true },
        ],
      },
    });
    expect(await t.handle.db.selectFrom('webhook_events').select(['event_id', 'status']).execute()).toEqual([{ event_id: 'rec-rtd-1', status: 'processed' }]);
  });

  it('the same event five times, and the same recording under another event id, still make one job', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(ready('rec-rtd-1'))));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect((await post(ready('rec-rtd-1-redelivered'))).status).toBe(200);
    expect(await t.handle.db.selectFrom('jobs').select('id').execute()).toHaveLength(1);
    expect(await t.handle.db.selectFrom('webhook_events').select('id').execute()).toHaveLength(2);
  });

  it('stores an authentic event it cannot parse as invalid and still answers 200', async () => {
    const broken = { ...ready('rec-rtd-broken'), payload: { type: 'raw-tracks', room_name: 'r' } };
    expect((await post(broken)).status).toBe(200);
    expect((await post({ no: 'envelope' })).status).toBe(200);
    const invalid = await t.handle.db.selectFrom('webhook_events').select(['event_id', 'status', 'error']).where('status', '=', 'invalid').execute();
    expect(invalid).toHaveLength(2);
    expect(invalid.find((e) => e.event_id === 'rec-rtd-broken')?.error).toMatch(/recording_id/);
    expect(invalid.find((e) => e.event_id.startsWith('sha256:'))?.error).toMatch(/type/);
  });

  it('answers 200 to unknown event types, and records participants with their names', async () => {
    expect((await post({ version: '1.0.0', type: 'streaming.started', id: 'ev-x', payload: {}, event_ts: 1 })).status).toBe(200);
    const joined = {
      version: '1.0.0',
      type: 'participant.joined',
      id: 'ev-join',
      event_ts: 1708972279.96,
      payload: { room: 'standup', session_id: 'aaaaaaaa-1111-4111-8111-111111111111', user_name: 'Ann', joined_at: 1708972279.5, owner: false },
    };
    expect((await post(joined)).status).toBe(200);
    const left = { ...joined, type: 'participant.left', id: 'ev-left', payload: { ...joined.payload, duration: 60 } };
    expect((await post(left)).status).toBe(200);
    const participants = await t.handle.db.selectFrom('participants').selectAll().execute();
    expect(participants).toHaveLength(1);
    expect(participants[0]).toMatchObject({ platform_participant_id: 'aaaaaaaa-1111-4111-8111-111111111111', display_name: 'Ann' });
    expect(participants[0]!.left_at!.getTime() - participants[0]!.joined_at!.getTime()).toBe(60_000);
  });

  it('counts webhooks by platform, type and outcome in /metrics', async () => {
    expect((await app.request('/metrics')).status).toBe(401);
    const text = await (await app.request('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    expect(text).toMatch(/reflector_webhooks_total\{platform="daily",type="recording.ready-to-download",outcome="duplicate"\} 6/);
    expect(text).toMatch(/reflector_webhooks_total\{platform="daily",type="unknown",outcome="unauthorized"\} 3/);
    expect(text).toMatch(/reflector_jobs\{state="queued"\} 1/);
  });
});
