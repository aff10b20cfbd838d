/**
 * Our API on PostgreSQL: meetings created on Daily and Whereby (local HTTP servers following
 * their documented contracts, docs.daily.co/reference/rest-api/rooms and docs.whereby.com/reference/whereby-rest-api-reference/meetings), read routes, transcript audio, and
 * the error shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { H3 } from 'h3';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { AppDeps } from '../../src/server/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { testApp } from '../helpers/app.ts';

let t: TestDatabase;
let app: H3;
let deps: AppDeps;
let as: Awaited<ReturnType<typeof testApp>>['as'];
let platformServer: Server;
const received: Array<{ path: string; auth: string | undefined; body: Record<string, unknown> }> = [];
const logs: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  platformServer = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    received.push({ path: req.url!, auth: req.headers.authorization, body: JSON.parse(raw || '{}') });
    res.setHeader('content-type', 'application/json');
    if (req.url === '/daily/v1/rooms' && JSON.parse(raw || '{}').name === 'taken')
      return void res.writeHead(400).end(JSON.stringify({ error: 'invalid-request-error', info: 'a room named taken already exists' }));
    if (req.url === '/daily/v1/rooms')
      return void res.writeHead(200).end(JSON.stringify({ id: 'r-1', name: 'standup-xyz', url: 'https://acme.daily.co/standup-xyz', privacy: 'private' }));
    if (req.url === '/whereby/v1/meetings') {
      return void res.writeHead(201).end(
        JSON.stringify({
          meetingId: '134',
          roomName: '/teamsync-793e9ec1-1111-4111-8111-111111111111',
          roomUrl: 'https://acme.whereby.com/teamsync-793e9ec1',
          hostRoomUrl: 'https://acme.whereby.com/teamsync-793e9ec1?roomKey=x',
          startDate: '2026-11-29T09:00:00Z',
          endDate: '2026-11-30T09:00:00Z',
        }),
      );
    }
    res.writeHead(404).end('{}');
  });
  await new Promise<void>((r) => platformServer.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(platformServer.address() as { port: number }).port}`;
  t = await createTestDatabase('postgres');
  await migrateToLatest(t.handle.db);
  ({ app, deps, as } = await testApp(t.handle.db, {
    log: (event) => logs.push(event),
    platforms: {
      daily: {
        api: { apiUrl: `${base}/daily/v1`, apiKey: 'dk' },
        bucket: 'acme-daily',
        region: 'eu-west-1',
        roleArn: 'arn:aws:iam::123456789012:role/DailyRecordingsWriter',
      },
      whereby: { api: { apiUrl: `${base}/whereby/v1`, apiKey: 'wk' }, bucket: 'acme-whereby', accessKeyId: 'AKIAW', accessKeySecret: 'sw' },
    },
  }));
});
afterAll(async () => {
  platformServer?.close();
  await t?.drop();
});

const postJson = (path: string, body: unknown) =>
  app.request(path, { method: 'POST', body: JSON.stringify(body), headers: as('write', { 'content-type': 'application/json' }) });

describe('meetings', () => {
  it('creates a Daily room that records raw tracks into our bucket, and stores the meeting', async () => {
    const response = await postJson('/v1/meetings', { platform: 'daily', roomName: 'standup-xyz' });
    expect(response.status).toBe(201);
    expect(received.at(-1)).toEqual({
      path: '/daily/v1/rooms',
      auth: 'Bearer dk',
      body: expect.objectContaining({
        name: 'standup-xyz',
        privacy: 'private',
        properties: expect.objectContaining({
          enable_recording: 'raw-tracks',
          recordings_bucket: {
            bucket_name: 'acme-daily',
            bucket_region: 'eu-west-1',
            assume_role_arn: 'arn:aws:iam::123456789012:role/DailyRecordingsWriter',
            allow_api_access: true,
          },
        }),
      }),
    });
    expect((await response.json()).meeting).toMatchObject({
      platform: 'daily',
      roomName: 'standup-xyz',
      roomUrl: 'https://acme.daily.co/standup-xyz',
      origin: 'api',
    });
  });

  it("passes a platform's refusal on as 502 PLATFORM_API_FAILED, storing nothing; the platform's body is logged, not echoed", async () => {
    const before = (await t.handle.db.selectFrom('meetings').select('id').execute()).length;
    const response = await postJson('/v1/meetings', { platform: 'daily', roomName: 'taken' });
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ error: { code: 'PLATFORM_API_FAILED', message: 'Daily API POST /rooms answered 400' } });
    expect(logs.find((l) => l.code === 'PLATFORM_API_FAILED')?.error).toContain('a room named taken already exists');
    expect((await t.handle.db.selectFrom('meetings').select('id').execute()).length).toBe(before);
  });

  it('creates a Whereby meeting with cloud recording to our bucket as MP4', async () => {
    const endDate = new Date(Date.now() + 3 * 24 * 3600_000);
    endDate.setUTCHours(9, 0, 0, 0);
    const response = await postJson('/v1/meetings', { platform: 'whereby', roomName: 'Team Sync', endDate: endDate.toISOString().replace('.000Z', 'Z') });
    expect(response.status).toBe(201);
    expect(received.at(-1)!.body).toMatchObject({
      endDate: endDate.toISOString(),
      roomNamePrefix: 'teamsync',
      recording: { type: 'cloud', destination: { provider: 's3', bucket: 'acme-whereby', accessKeyId: 'AKIAW', accessKeySecret: 'sw', fileFormat: 'mp4' } },
    });
    const body = await response.json();
    expect(body.meeting).toMatchObject({ platform: 'whereby', roomName: 'teamsync-793e9ec1-1111-4111-8111-111111111111', platformMeetingId: '134' });
    expect(body.hostRoomUrl).toMatch(/roomKey/);
  });

  it('lists and shows meetings; bad input and unknown ids get the error shape', async () => {
    const list = await (await app.request('/v1/meetings', { headers: as('admin') })).json();
    expect(list.meetings).toHaveLength(2);
    const one = await (await app.request(`/v1/meetings/${list.meetings[0].id}`, { headers: as('admin') })).json();
    expect(one).toMatchObject({ meeting: { id: list.meetings[0].id }, participants: [], recordings: [] });
    const bad = await postJson('/v1/meetings', { platform: 'zoom' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { code: 'BAD_REQUEST', message: expect.stringContaining('platform') } });
    for (const path of [
      '/v1/meetings/not-a-uuid',
      '/v1/recordings/00000000-0000-4000-8000-000000000000',
      '/v1/transcripts/00000000-0000-4000-8000-000000000000',
    ]) {
      const missing = await app.request(path, { headers: as('admin') });
      expect(missing.status, path).toBe(404);
      expect((await missing.json()).error.code).toBe('NOT_FOUND');
    }
    expect((await (await app.request('/v1/nothing-here', { headers: as('admin') })).json()).error.code).toBe('NOT_FOUND');
  });
});

describe('input that cannot be stored', () => {
  const send = (method: string, path: string, rawJson: string, scope: 'write' | 'admin' = 'write') =>
    app.request(path, { method, body: rawJson, headers: as(scope, { 'content-type': 'application/json' }) });

  it('answers 400 naming the field for a NUL or a lone surrogate anywhere in the JSON, before any platform call', async () => {
    const calls = received.length;
    const meeting = await t.handle.db
      .insertInto('meetings')
      .values({ platform: 'daily', room_name: 'nul-test', origin: 'api' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const cases: Array<[string, string, string, 'write' | 'admin', string]> = [
      ['POST', '/v1/meetings', String.raw`{"platform":"daily","roomName":"a\u0000b"}`, 'write', 'roomName'],
      ['POST', '/v1/meetings', String.raw`{"platform":"whereby","roomName":"team\ud800"}`, 'write', 'roomName'],
      ['POST', '/v1/meetings', String.raw`{"platform":"daily","x\u0000y":1}`, 'write', 'key name'],
      ['PATCH', `/v1/meetings/${meeting.id}`, String.raw`{"owner":"user:a\u0000b"}`, 'admin', 'owner'],
      ['PATCH', `/v1/meetings/${meeting.id}`, String.raw`{"owner":"user:\udc00"}`, 'admin', 'owner'],
      ['POST', '/v1/api-keys', String.raw`{"name":"k\u0000","scope":"read"}`, 'admin', 'name'],
      ['POST', '/v1/api-keys', String.raw`{"name":"k","scope":"read","extra":{"deep":["ok","\ud83d"]}}`, 'admin', 'extra.deep.1'],
    ];
    for (const [method, path, raw, scope, field] of cases) {
      const response = await send(method, path, raw, scope);
      expect(response.status, raw).toBe(400);
      const body = await response.json();
      expect(body.error.code, raw).toBe('BAD_REQUEST');
      expect(body.error.message, raw).toContain(field);
    }
    expect(received.length).toBe(calls);
    expect((await t.handle.db.selectFrom('meetings').select('owner').where('id', '=', meeting.id).executeTakeFirstOrThrow()).owner).toBeNull();
  });

  it('validates a meeting request whole before calling the platform: room name rules, an end in the past', async () => {
    const calls = received.length;
    const before = (await t.handle.db.selectFrom('meetings').select('id').execute()).length;
    for (const [body, field] of [
      [{ platform: 'daily', roomName: 'has spaces' }, 'roomName'],
      [{ platform: 'daily', roomName: 'ok', endDate: '2020-01-01T00:00:00Z' }, 'endDate'],
      [{ platform: 'whereby', roomName: '!!!' }, 'roomName'],
      [{ platform: 'daily', endDate: 'tomorrow' }, 'endDate'],
    ] as const) {
      const response = await postJson('/v1/meetings', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((await response.json()).error.message).toContain(field);
    }
    expect(received.length).toBe(calls);
    expect((await t.handle.db.selectFrom('meetings').select('id').execute()).length).toBe(before);
  });
});

describe('recordings and transcripts', () => {
  it('shows a recording with its tracks, and serves the transcript audio through a signed URL', async () => {
    const { db } = t.handle;
    const recording = await db
      .insertInto('recordings')
      .values({ platform: 'daily', platform_recording_id: 'r-api', bucket: 'daily', object_keys: '["k1"]', status: 'processed' })
      .returningAll()
      .executeTakeFirstOrThrow();
    await db
      .insertInto('tracks')
      .values({
        recording_id: recording.id,
        object_key: 'k1',
        participant_id: 'p1',
        offset_ms: 8134,
        filename_offset_ms: 8339,
        end_ms: 20014,
        duration_ms: 11880,
        gaps: JSON.stringify([{ startMs: 11014, endMs: 13014 }]),
        status: 'rendered',
      })
      .execute();
    const transcript = await db.insertInto('transcripts').values({ recording_id: recording.id, status: 'processing' }).returningAll().executeTakeFirstOrThrow();
    const meeting = await db.insertInto('meetings').values({ platform: 'daily', room_name: 'names', origin: 'api' }).returning('id').executeTakeFirstOrThrow();
    await db.updateTable('recordings').set({ meeting_id: meeting.id }).where('id', '=', recording.id).execute();
    await db.insertInto('participants').values({ meeting_id: meeting.id, platform_participant_id: 'p2', display_name: 'Ann' }).execute();
    await db
      .insertInto('tracks')
      .values([
        { recording_id: recording.id, object_key: 'k0', participant_id: 'p0', offset_ms: 0, duration_ms: 1000, gaps: '[]', status: 'rendered' },
        { recording_id: recording.id, object_key: 'k2', participant_id: 'p2', offset_ms: 500, duration_ms: 1000, gaps: '[]', status: 'rendered' },
        { recording_id: recording.id, object_key: 'k1b', participant_id: 'p1', offset_ms: 30_000, duration_ms: 40_000, gaps: '[]', status: 'rendered' },
      ])
      .execute();
    const shown = await (await app.request(`/v1/recordings/${recording.id}`, { headers: as('admin') })).json();
    expect(shown.tracks.find((x: { objectKey: string }) => x.objectKey === 'k1')).toEqual(
      expect.objectContaining({ offsetMs: 8134, filenameOffsetMs: 8339, gaps: [{ startMs: 11014, endMs: 13014 }], status: 'rendered' }),
    );
    // Known names from participant events; "Speaker N" by first appearance otherwise (p1 reconnected: one name for both files).
    expect(shown.tracks.map((x: { objectKey: string; speaker: string }) => [x.objectKey, x.speaker])).toEqual([
      ['k0', 'Speaker 1'],
      ['k2', 'Ann'],
      ['k1', 'Speaker 2'],
      ['k1b', 'Speaker 2'],
    ]);
    expect(shown.transcript).toMatchObject({ id: transcript.id, status: 'processing' });

    expect((await app.request(`/v1/transcripts/${transcript.id}/audio`, { headers: as('admin') })).status).toBe(409);
    await deps.stores.transcripts.put(`${transcript.id}/audio.mp3`, new Uint8Array([0xff, 0xfb, 1, 2, 3]));
    await db
      .updateTable('transcripts')
      .set({ status: 'ready', audio_key: `${transcript.id}/audio.mp3` })
      .where('id', '=', transcript.id)
      .execute();
    const redirect = await app.request(`/v1/transcripts/${transcript.id}/audio`, { headers: as('admin') });
    expect(redirect.status).toBe(302);
    const location = new URL(redirect.headers.get('location')!);
    const audio = await app.request(`${location.pathname}${location.search}`); // the signature is the credential
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/mpeg');
    expect(new Uint8Array(await audio.arrayBuffer())).toEqual(new Uint8Array([0xff, 0xfb, 1, 2, 3]));
    expect(audio.headers.get('accept-ranges')).toBe('bytes');
    // The presigned URL answers byte ranges too (the local store's file, from the range's first byte).
    const part = await app.request(`${location.pathname}${location.search}`, { headers: { range: 'bytes=2-' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 2-4/5');
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    const past = await app.request(`${location.pathname}${location.search}`, { headers: { range: 'bytes=5-9' } });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe('bytes */5');
    const forged = await app.request(`${location.pathname}?expires=${location.searchParams.get('expires')}&signature=AAAA`);
    expect(forged.status).toBe(403);
  });
});
