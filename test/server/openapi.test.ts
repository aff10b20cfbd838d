/**
 * The OpenAPI document against a running app on PostgreSQL: valid OpenAPI 3.1 (a validator of
 * the specification's own JSON Schema), served without a credential, naming every route the app
 * has, and every answer of a walk over every operation — as admin, without a credential, with a
 * scope too small, with ids that do not exist — listed by the document and valid against it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve } from 'h3';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createApiKey } from '../../src/auth/api-keys.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { signWhereby } from '../../src/platforms/whereby/signature.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { testApp } from '../helpers/app.ts';
import { postDaily, readyEvent } from '../helpers/daily-webhooks.ts';
import { answerChecker } from '../helpers/openapi-answers.ts';

const DAILY_SECRET = Buffer.from('daily-secret-for-the-walk').toString('base64');
const WHEREBY_SECRET = 'whereby-secret-for-the-walk';
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

let t: TestDatabase;
let server: ReturnType<typeof serve>;
let as: Awaited<ReturnType<typeof testApp>>['as'];
let app: Awaited<ReturnType<typeof testApp>>['app'];
let doc: Parameters<typeof answerChecker>[0] & Record<string, unknown>;
let check: ReturnType<typeof answerChecker>;
const ids = {} as Record<'meeting' | 'recording' | 'transcript' | 'doomedTranscript' | 'doomedRecording' | 'doomedKey', string>;

const url = (path: string) => new URL(path, server.url!);

beforeAll(async () => {
  t = await createTestDatabase('postgres');
  await migrateToLatest(t.handle.db);
  const made = await testApp(t.handle.db, { daily: { bucket: 'daily', webhookSecretBase64: DAILY_SECRET }, whereby: { webhookSecret: WHEREBY_SECRET } });
  ({ as, app } = made);
  const { db } = t.handle;
  const meeting = await db
    .insertInto('meetings')
    .values({ platform: 'daily', room_name: 'walk', origin: 'api', start_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('participants').values({ meeting_id: meeting.id, platform_participant_id: 'p1', display_name: 'Ann', joined_at: new Date() }).execute();
  const recording = await db
    .insertInto('recordings')
    .values({
      meeting_id: meeting.id,
      platform: 'daily',
      platform_recording_id: 'r-walk',
      bucket: 'daily',
      object_keys: '["k1"]',
      status: 'processed',
      duration_ms: 1000,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('tracks')
    .values({
      recording_id: recording.id,
      object_key: 'k1',
      participant_id: 'p1',
      offset_ms: 0,
      duration_ms: 1000,
      gaps: '[{"startMs":10,"endMs":20}]',
      status: 'rendered',
    })
    .execute();
  const transcript = await db
    .insertInto('transcripts')
    .values({
      recording_id: recording.id,
      status: 'ready',
      transcription_status: 'ready',
      language: 'en',
      word_count: 1,
      segments: JSON.stringify([{ speaker: 'Ann', participantId: 'p1', startMs: 0, endMs: 500, text: 'hi' }]),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .updateTable('transcripts')
    .set({ audio_key: `${transcript.id}/audio.mp3` })
    .where('id', '=', transcript.id)
    .execute();
  for (const [name, bytes] of [
    ['audio.mp3', new Uint8Array([0xff, 0xfb, 1, 2])],
    ['timeline.json', new TextEncoder().encode('{"durationMs":1000,"tracks":[]}')],
    ['transcript.json', new TextEncoder().encode('{"language":"en","durationMs":1000,"words":[],"segments":[]}')],
  ] as const)
    await made.deps.stores.transcripts.put(`${transcript.id}/${name}`, bytes);
  const doomed = await db.insertInto('transcripts').values({ meeting_id: meeting.id, status: 'failed' }).returning('id').executeTakeFirstOrThrow();
  const doomedRecording = await db
    .insertInto('recordings')
    .values({ meeting_id: meeting.id, platform: 'daily', platform_recording_id: 'r-doomed', bucket: 'daily', object_keys: '[]', status: 'failed' })
    .returning('id')
    .executeTakeFirstOrThrow();
  Object.assign(ids, {
    meeting: meeting.id,
    recording: recording.id,
    transcript: transcript.id,
    doomedTranscript: doomed.id,
    doomedRecording: doomedRecording.id,
    doomedKey: (await createApiKey(db, { name: 'doomed', scope: 'read' })).id,
  });
  server = serve(app, { port: 0, hostname: '127.0.0.1', silent: true });
  await server.ready();
  const answer = await fetch(url('/v1/openapi.json'));
  expect(answer.status).toBe(200);
  doc = await answer.json();
  check = answerChecker(doc);
});
afterAll(async () => {
  await server?.close(true);
  await t?.drop();
});

const templateOf = (operation: string) => operation.split(' ')[1]!;
const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? name);

type Call = { op: string; path?: string; headers?: Record<string, string>; body?: string; file?: boolean };

const walk = async (calls: Call[]) => {
  const problems: string[] = [];
  for (const call of calls) {
    const [method] = call.op.split(' ');
    const path = call.path ?? fill(templateOf(call.op), { id: NO_SUCH_ID });
    const response = await fetch(url(path), { method, headers: { 'content-type': 'application/json', ...call.headers }, body: call.body, redirect: 'manual' });
    problems.push(...(await check(method!, templateOf(call.op), response, { file: call.file })));
  }
  return problems;
};

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1, names every route the app serves, each with its scope or credential', async () => {
    const validator = new Validator();
    expect(await validator.validate(doc)).toEqual({ valid: true });
    expect(validator.version).toBe('3.1');
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
    const served = app['~routes']
      .filter((r) => r.method)
      .map(
        (r) =>
          `${r.method} ${r
            .route!.replace(/:(\w+)/g, '{$1}')
            .replace('/{bucket}/**', '/{bucket}/{key}')
            .replace('/debugger/**', '/debugger/')}`,
      );
    expect(served.filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !served.includes(r))).toEqual([]);
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) {
        if (path.startsWith('/v1/') && !path.includes('webhook') && path !== '/v1/whereby' && path !== '/v1/openapi.json' && !path.startsWith('/v1/objects'))
          expect(op['x-required-scope'], `${method} ${path}`).toMatch(/^(read|write|admin)$/);
      }
    expect(Object.keys((doc.components as { securitySchemes: object }).securitySchemes)).toEqual(
      expect.arrayContaining(['bearer', 'dailySignature', 'wherebySignature']),
    );
  });

  it('describes every answer of a walk over every operation as admin', async () => {
    const admin = as('admin');
    const audio = await fetch(url(`/v1/transcripts/${ids.transcript}/audio`), { headers: admin, redirect: 'manual' });
    const objectUrl = new URL(audio.headers.get('location')!);
    const wherebyBody = JSON.stringify({ id: 'evt-walk', type: 'room.client.joined', createdAt: new Date().toISOString(), data: {} });
    const wherebySigned = { 'whereby-signature': signWhereby(wherebyBody, Math.floor(Date.now() / 1000), WHEREBY_SECRET) };
    const calls: Call[] = [
      { op: 'GET /' },
      { op: 'GET /favicon.ico' },
      { op: 'GET /v1/openapi.json' },
      { op: 'GET /healthz' },
      { op: 'GET /readyz' },
      { op: 'GET /metrics' },
      { op: 'GET /debugger/' },
      { op: 'GET /v1/meetings', headers: admin },
      { op: 'GET /v1/meetings', path: '/v1/meetings?limit=1000', headers: admin },
      { op: 'POST /v1/meetings', headers: admin, body: '{"platform":"daily"}' },
      { op: 'POST /v1/meetings', headers: admin, body: '{"platform":"zoom"}' },
      { op: 'GET /v1/meetings/{id}', path: `/v1/meetings/${ids.meeting}`, headers: admin },
      { op: 'PATCH /v1/meetings/{id}', path: `/v1/meetings/${ids.meeting}`, headers: admin, body: '{"owner":null}' },
      { op: 'GET /v1/recordings', path: '/v1/recordings?status=processed', headers: admin },
      { op: 'GET /v1/recordings', path: '/v1/recordings?status=burning', headers: admin },
      { op: 'GET /v1/recordings/{id}', path: `/v1/recordings/${ids.recording}`, headers: admin },
      { op: 'GET /v1/recordings/{id}/timeline', path: `/v1/recordings/${ids.recording}/timeline`, headers: admin, file: true },
      // No track of that id (the stored timeline has none): the described 404.
      {
        op: 'GET /v1/recordings/{id}/tracks/{trackId}/peaks',
        path: `/v1/recordings/${ids.recording}/tracks/00000000-0000-4000-8000-000000000000/peaks`,
        headers: admin,
      },
      {
        op: 'GET /v1/recordings/{id}/tracks/{trackId}/audio',
        path: `/v1/recordings/${ids.recording}/tracks/00000000-0000-4000-8000-000000000000/audio`,
        headers: admin,
      },
      { op: 'GET /v1/recordings/{id}/transcript', path: `/v1/recordings/${ids.recording}/transcript`, headers: admin, file: true },
      { op: 'GET /v1/recordings/{id}/audio', path: `/v1/recordings/${ids.recording}/audio`, headers: admin },
      { op: 'POST /v1/recordings/{id}/reprocess', path: `/v1/recordings/${ids.recording}/reprocess`, headers: admin },
      { op: 'GET /v1/transcripts/{id}', path: `/v1/transcripts/${ids.transcript}`, headers: admin },
      { op: 'GET /v1/transcripts/{id}/audio', path: `/v1/transcripts/${ids.transcript}/audio`, headers: admin },
      { op: 'POST /v1/transcripts/{id}/transcribe', path: `/v1/transcripts/${ids.transcript}/transcribe`, headers: admin },
      { op: 'GET /v1/objects/{bucket}/{key}', path: `${objectUrl.pathname}${objectUrl.search}`, file: true },
      { op: 'GET /v1/objects/{bucket}/{key}', path: `${objectUrl.pathname}?expires=1&signature=x` },
      { op: 'GET /v1/recordings/{id}/files/{name}', path: `/v1/recordings/${ids.recording}/files/timeline.json`, headers: admin, file: true },
      { op: 'GET /v1/recordings/{id}/files/{name}', path: `/v1/recordings/${ids.recording}/files/transcript.vtt`, headers: admin },
      {
        op: 'POST /v1/session',
        headers: { 'x-requested-with': 'reflector-tracks' },
        body: JSON.stringify({ apiKey: (await createApiKey(t.handle.db, { name: 'walk session', scope: 'read' })).token }),
      },
      { op: 'POST /v1/session', body: '{"apiKey":"rt_nope"}', headers: { 'x-requested-with': 'reflector-tracks' } },
      { op: 'GET /v1/session', headers: admin },
      { op: 'DELETE /v1/session', headers: admin },
      { op: 'GET /v1/api-keys', headers: admin },
      { op: 'POST /v1/api-keys', headers: admin, body: '{"name":"walk","scope":"read"}' },
      { op: 'DELETE /v1/api-keys/{id}', path: `/v1/api-keys/${ids.doomedKey}`, headers: admin },
      { op: 'DELETE /v1/transcripts/{id}', path: `/v1/transcripts/${ids.doomedTranscript}`, headers: admin },
      { op: 'DELETE /v1/recordings/{id}', path: `/v1/recordings/${ids.doomedRecording}`, headers: admin },
      { op: 'GET /v1/recordings', path: '/v1/recordings?status=deleted', headers: admin },
      { op: 'GET /v1/recordings', path: '/v1/recordings?status=deleted', headers: as('read') },
      { op: 'POST /v1/daily/webhook', body: '{"test":"test"}' },
      { op: 'POST /v1/whereby/webhook', body: wherebyBody, headers: wherebySigned },
      { op: 'POST /v1/whereby', body: wherebyBody, headers: wherebySigned },
    ];
    expect(await walk(calls)).toEqual([]);
    const gone = await t.handle.db.selectFrom('recordings').select('status').where('id', '=', ids.doomedRecording).executeTakeFirstOrThrow();
    expect(gone.status).toBe('deleted');
    const signed = await postDaily(server.url!, readyEvent('evt-walk', 'walk', ['t1']), DAILY_SECRET);
    expect(await check('POST', '/v1/daily/webhook', signed)).toEqual([]);
    const walked = new Set(calls.map((c) => c.op));
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(operations.filter((op) => !walked.has(op))).toEqual([]);
  });

  it('names the scope each route enforces: the scope below it is refused, the scope itself is let through', async () => {
    const below = { read: null, write: 'read', admin: 'write' } as const;
    const wrong: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) {
        const scope = op['x-required-scope'] as keyof typeof below | undefined;
        if (!scope) continue;
        const target = url(fill(path, { id: NO_SUCH_ID }));
        const send = (key: 'read' | 'write' | 'admin') =>
          fetch(target, { method: method.toUpperCase(), headers: as(key), redirect: 'manual' }).catch((e: Error) => {
            throw new Error(`${method} ${path} as ${key}: ${e.message} ${(e.cause as Error)?.message}`);
          });
        const lower = below[scope];
        if (lower && (await send(lower)).status !== 403) wrong.push(`${method} ${path}: ${lower} not refused`);
        if ([401, 403].includes((await send(scope)).status)) wrong.push(`${method} ${path}: ${scope} refused`);
      }
    expect(wrong).toEqual([]);
  });

  it('describes the error answers: no credential, a scope too small, ids that do not exist, bodies too large, unsigned webhooks', async () => {
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([m, op]) => ({ op: `${m.toUpperCase()} ${path}`, scope: op['x-required-scope'] })),
    );
    const guarded = operations.filter((o) => o.scope);
    const calls: Call[] = [
      ...guarded.map((o) => ({ op: o.op })),
      ...guarded.map((o) => ({ op: o.op, headers: as('read') })),
      ...guarded.filter((o) => o.op.includes('{id}')).map((o) => ({ op: o.op, path: fill(templateOf(o.op), { id: 'not-a-uuid' }), headers: as('admin') })),
      { op: 'POST /v1/meetings', headers: as('admin'), body: JSON.stringify({ platform: 'daily', roomName: 'x'.repeat(2 * 1024 * 1024) }) },
      { op: 'POST /v1/daily/webhook', body: '{"type":"recording.ready-to-download","id":"unsigned"}' },
      { op: 'POST /v1/daily/webhook', body: 'x'.repeat(2 * 1024 * 1024) },
      { op: 'POST /v1/whereby/webhook', body: '{"type":"room.client.joined"}', headers: { 'whereby-signature': 't=1,v1=00' } },
      { op: 'POST /v1/whereby', body: '{}' },
    ];
    expect(await walk(calls)).toEqual([]);
  });
});
