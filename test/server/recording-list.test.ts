/**
 * GET /v1/recordings as the operator view reads it, on PostgreSQL: newest first (by the
 * recording's start, else its arrival), a page at a time with the next page's offset, each with
 * its duration, track count and transcription state, the caller's meetings only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { H3 } from 'h3';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { testApp } from '../helpers/app.ts';

let t: TestDatabase;
let app: H3;
let as: Awaited<ReturnType<typeof testApp>>['as'];
const ids: string[] = [];

type Page = { recordings: Array<Record<string, unknown> & { id: string }>; nextOffset: number | null };
const list = async (query: string, scope: 'read' | 'admin' = 'read'): Promise<Page> =>
  (await app.request(`/v1/recordings?${query}`, { headers: as(scope) })).json();

beforeAll(async () => {
  t = await createTestDatabase('postgres');
  await migrateToLatest(t.handle.db);
  let keys: Awaited<ReturnType<typeof testApp>>['keys'];
  ({ app, as, keys } = await testApp(t.handle.db));
  const { db } = t.handle;
  const mine = await db
    .insertInto('meetings')
    .values({ platform: 'daily', room_name: 'mine', origin: 'api', owner: `key:${keys.read.id}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const other = await db
    .insertInto('meetings')
    .values({ platform: 'daily', room_name: 'other', origin: 'api', owner: 'key:someone-else' })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Started 3 h, 1 h and (unknown: arrived now) ago, inserted out of order.
  for (const [name, startedHoursAgo] of [
    ['middle', 1],
    ['oldest', 3],
    ['unstarted', null],
  ] as const) {
    const row = await db
      .insertInto('recordings')
      .values({
        meeting_id: mine.id,
        platform: 'daily',
        platform_recording_id: name,
        bucket: 'daily',
        object_keys: JSON.stringify(['a', 'b']),
        status: name === 'oldest' ? 'processed' : 'pending',
        start_at: startedHoursAgo === null ? null : new Date(Date.now() - startedHoursAgo * 3600_000),
        duration_ms: 5000,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(row.id);
  }
  const oldest = ids[1]!;
  await db.insertInto('tracks').values({ recording_id: oldest, object_key: 'a', gaps: '[]', status: 'rendered' }).execute();
  await db
    .insertInto('transcripts')
    .values({ recording_id: oldest, status: 'ready', duration_ms: 4200, transcription_status: 'failed', transcription_error: 'boom' })
    .execute();
  await db
    .insertInto('recordings')
    .values({ meeting_id: other.id, platform: 'daily', platform_recording_id: 'theirs', bucket: 'daily', object_keys: '[]', status: 'pending' })
    .execute();
});
afterAll(() => t?.drop());

describe('the recordings list', () => {
  it('pages newest first with the next offset, the caller’s only', async () => {
    const [middle, oldest, unstarted] = ids;
    const first = await list('order=newest&limit=2');
    expect(first.recordings.map((r) => r.id)).toEqual([unstarted, middle]);
    expect(first.nextOffset).toBe(2);
    const second = await list('order=newest&limit=2&offset=2');
    expect(second.recordings.map((r) => r.id)).toEqual([oldest]);
    expect(second.nextOffset).toBeNull();
    // An admin sees the other meeting's recording too: four, so a page of three has a next.
    expect((await list('order=newest&limit=3', 'admin')).nextOffset).toBe(3);
    expect((await list('order=newest&status=processed')).recordings.map((r) => r.id)).toEqual([oldest]);
    expect((await app.request('/v1/recordings?order=oldest', { headers: as('read') })).status).toBe(400);
  });

  it('says each recording’s duration, tracks and transcription state', async () => {
    const [middle, oldest] = ids;
    const { recordings } = await list('order=newest');
    const byId = new Map(recordings.map((r) => [r.id, r]));
    expect(byId.get(oldest!)).toMatchObject({
      durationMs: 4200,
      tracks: 1,
      transcriptionStatus: 'failed',
      transcriptionError: 'boom',
      transcriptId: expect.any(String),
    });
    // Not processed yet: the recording's own duration and the raw objects it was announced with.
    expect(byId.get(middle!)).toMatchObject({ durationMs: 5000, tracks: 2, transcriptionStatus: null, transcriptId: null });
  });
});
