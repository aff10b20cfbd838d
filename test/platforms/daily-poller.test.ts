/**
 * The Daily poller against a local HTTP server that follows Daily's documented contract for
 * `GET /v1/recordings` (docs.daily.co/reference/rest-api/recordings/list-recordings): bearer auth, newest first, `limit` ≤ 100,
 * `starting_after` as a recording-id cursor, `duration` absent while in progress, no `type`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { pollDailyOnce } from '../../src/platforms/daily/poller.ts';
import { handleDailyWebhook } from '../../src/platforms/daily/handle-webhook.ts';
import { signDaily } from '../../src/platforms/daily/signature.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';

type Rec = { id: string; room_name: string; start_ts: number; status: string; duration?: number; tracks: Array<{ type: string; s3Key: string; size: number }> };
const recordings: Rec[] = [];
const requests: string[] = [];
let server: Server;
let apiUrl: string;
let t: TestDatabase;

const rec = (i: number, overrides: Partial<Rec> = {}): Rec => {
  const start = 1_700_000_000_000 + i * 3_600_000;
  return {
    id: `rec-${String(i).padStart(4, '0')}`,
    room_name: `room-${i % 7}`,
    start_ts: start / 1000,
    status: 'finished',
    duration: 1800,
    tracks: [
      { type: 'audio', s3Key: `acme/room-${i % 7}/${start}-11111111-1111-4111-8111-111111111111-cam-audio-${start + 900}`, size: 1000 },
      { type: 'video', s3Key: `acme/room-${i % 7}/${start}-11111111-1111-4111-8111-111111111111-cam-video-${start + 900}`, size: 1000 },
    ],
    ...overrides,
  };
};

beforeAll(async () => {
  // 250 recordings, newest last here; the API lists them newest first.
  for (let i = 0; i < 250; i++) recordings.push(rec(i));
  recordings[249] = { ...rec(249), status: 'in-progress', duration: undefined }; // still recording
  recordings[120] = { ...rec(120), tracks: [] }; // a cloud recording / nothing captured
  server = createServer((req, res) => {
    requests.push(req.url!);
    if (req.headers.authorization !== 'Bearer daily-key') return void res.writeHead(401).end('{"error":"authentication-error"}');
    const url = new URL(req.url!, 'http://x');
    if (url.pathname !== '/v1/recordings') return void res.writeHead(404).end();
    const limit = Math.min(100, Number(url.searchParams.get('limit') ?? 100));
    const newestFirst = [...recordings].reverse();
    const after = url.searchParams.get('starting_after');
    const from = after ? newestFirst.findIndex((r) => r.id === after) + 1 : 0;
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ total_count: recordings.length, data: newestFirst.slice(from, from + limit) }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  apiUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
  t = await createTestDatabase('postgres');
  await migrateToLatest(t.handle.db);
});
afterAll(async () => {
  server?.close();
  await t?.drop();
});

describe('Daily poller', () => {
  it('reads every page by the id cursor and enqueues each finished raw-tracks recording once', async () => {
    const result = await pollDailyOnce({ db: t.handle.db, api: { apiUrl, apiKey: 'daily-key' }, bucket: 'daily' });
    expect(result).toMatchObject({ pages: 4, seen: 250, enqueued: 248, inProgress: 1 });
    expect(requests.slice(0, 4)).toEqual([
      '/v1/recordings?limit=100',
      '/v1/recordings?limit=100&starting_after=rec-0150',
      '/v1/recordings?limit=100&starting_after=rec-0050',
      '/v1/recordings?limit=100&starting_after=rec-0000',
    ]);
    const jobs = await t.handle.db.selectFrom('jobs').select(['idempotency_key', 'payload']).orderBy('id').execute();
    expect(jobs).toHaveLength(248);
    expect(jobs.find((j) => j.idempotency_key === 'daily:rec-0003')?.payload).toMatchObject({
      objects: [{ key: expect.stringMatching(/cam-audio/) }],
      roomName: 'room-3',
    });
  });

  it('a second pass stops at the first page it already knows, and picks up a recording that finished meanwhile', async () => {
    recordings[249] = rec(249);
    requests.length = 0;
    const result = await pollDailyOnce({ db: t.handle.db, api: { apiUrl, apiKey: 'daily-key' }, bucket: 'daily' });
    expect(result.enqueued).toBe(1);
    expect(result.pages).toBe(2);
    expect(await t.handle.db.selectFrom('jobs').select('id').execute()).toHaveLength(249);
  });

  it('webhook and poller racing on a new recording make exactly one job', async () => {
    recordings.push(rec(250));
    const secret = Buffer.from('s').toString('base64');
    const event = {
      version: '1.0.0',
      type: 'recording.ready-to-download',
      id: 'ev-250',
      event_ts: Date.now() / 1000,
      payload: { ...rec(250), type: 'raw-tracks', recording_id: 'rec-0250', s3_key: 'acme/room-5/x' },
    };
    const raw = new TextEncoder().encode(JSON.stringify(event));
    const ts = String(Math.floor(Date.now() / 1000));
    const headers = new Headers({ 'x-webhook-signature': signDaily(raw, ts, secret), 'x-webhook-timestamp': ts });
    await Promise.all([
      pollDailyOnce({ db: t.handle.db, api: { apiUrl, apiKey: 'daily-key' }, bucket: 'daily' }),
      handleDailyWebhook({ db: t.handle.db, secretBase64: secret, dailyBucket: 'daily' }, raw, headers),
      pollDailyOnce({ db: t.handle.db, api: { apiUrl, apiKey: 'daily-key' }, bucket: 'daily' }),
    ]);
    expect(await t.handle.db.selectFrom('jobs').select('id').where('idempotency_key', '=', 'daily:rec-0250').execute()).toHaveLength(1);
  });

  it('fails a pass with a clear error on a bad API key', async () => {
    await expect(pollDailyOnce({ db: t.handle.db, api: { apiUrl, apiKey: 'wrong' }, bucket: 'daily' })).rejects.toThrow(
      /Daily API GET \/recordings\?limit=100 answered 401/,
    );
  });
});
