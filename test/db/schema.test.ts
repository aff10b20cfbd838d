/**
 * Migrations and the schema's rules, identical on PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { migrateToLatest, pendingMigrations, MIGRATIONS } from '../../src/db/migrate.ts';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../helpers/databases.ts';

describe.each(BACKENDS)('schema on %s', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(backend);
  });
  afterAll(() => t?.drop());

  it('applies every migration to an empty database, once', async () => {
    expect(await pendingMigrations(t.handle.db)).toEqual(Object.keys(MIGRATIONS));
    expect(await migrateToLatest(t.handle.db)).toEqual(Object.keys(MIGRATIONS));
    expect(await migrateToLatest(t.handle.db)).toEqual([]);
    expect(await pendingMigrations(t.handle.db)).toEqual([]);
  });

  it('returns int8 as number, timestamptz as Date and jsonb parsed', async () => {
    const { db } = t.handle;
    const meeting = await db
      .insertInto('meetings')
      .values({ platform: 'daily', room_name: 'standup', origin: 'api', start_at: new Date('2026-11-29T09:00:00Z') })
      .returningAll()
      .executeTakeFirstOrThrow();
    const recording = await db
      .insertInto('recordings')
      .values({
        meeting_id: meeting.id,
        platform: 'daily',
        platform_recording_id: 'rec-1',
        bucket: 'b',
        object_keys: JSON.stringify(['a', 'b']),
        duration_ms: 3_600_000,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    expect(recording.duration_ms).toBe(3_600_000);
    expect(recording.object_keys).toEqual(['a', 'b']);
    expect(recording.created_at).toBeInstanceOf(Date);
    expect(meeting.start_at).toEqual(new Date('2026-11-29T09:00:00Z'));
    const count = await db
      .selectFrom('recordings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
    const { rows } = await sql<{ big: number }>`select 9007199254740991::int8 as big`.execute(db);
    expect(rows[0]!.big).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('enforces statuses, uniqueness and foreign keys', async () => {
    const { db } = t.handle;
    const meeting = await db
      .insertInto('meetings')
      .values({ platform: 'whereby', room_name: 'r', origin: 'discovered' })
      .returningAll()
      .executeTakeFirstOrThrow();
    await expect(
      db
        .insertInto('meetings')
        .values({ platform: 'zoom' as never, room_name: 'r', origin: 'api' })
        .execute(),
    ).rejects.toThrow(/check/);
    await expect(
      db.insertInto('recordings').values({ platform: 'daily', platform_recording_id: 'rec-1', bucket: 'b', object_keys: '[]' }).execute(),
    ).rejects.toThrow(/duplicate key|unique/i);
    await expect(
      db.insertInto('tracks').values({ recording_id: '00000000-0000-4000-8000-000000000000', object_key: 'k', gaps: '[]' }).execute(),
    ).rejects.toThrow(/foreign key/);
    await expect(
      db
        .updateTable('recordings')
        .set({ status: 'done' as never })
        .execute(),
    ).rejects.toThrow(/check/);
    await db.insertInto('webhook_events').values({ platform: 'daily', event_id: 'ev-1', type: 'recording.ready-to-download', payload: '{}' }).execute();
    const again = await db
      .insertInto('webhook_events')
      .values({ platform: 'daily', event_id: 'ev-1', type: 'recording.ready-to-download', payload: '{}' })
      .onConflict((oc) => oc.columns(['platform', 'event_id']).doNothing())
      .executeTakeFirst();
    expect(again.numInsertedOrUpdatedRows).toBe(0n);
    // One participant identity per meeting and session; a reconnect with a new session is a new row.
    await db.insertInto('participants').values({ meeting_id: meeting.id, platform_participant_id: 'p1', display_name: 'Ann' }).execute();
    await expect(db.insertInto('participants').values({ meeting_id: meeting.id, platform_participant_id: 'p1' }).execute()).rejects.toThrow(
      /duplicate key|unique/i,
    );
    await db.insertInto('participants').values({ meeting_id: meeting.id, platform_participant_id: 'p1', platform_session_id: 's2' }).execute();
  });

  it('keeps one transcript per recording', async () => {
    const { db } = t.handle;
    const recording = await db.selectFrom('recordings').select('id').executeTakeFirstOrThrow();
    await db.insertInto('transcripts').values({ recording_id: recording.id, audio_key: 'x.mp3' }).execute();
    await expect(db.insertInto('transcripts').values({ recording_id: recording.id, audio_key: 'y.mp3' }).execute()).rejects.toThrow(/duplicate key|unique/i);
  });
});
