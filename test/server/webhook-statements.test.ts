/**
 * What one delivery costs the database, counted statement by statement (BEGIN and COMMIT are
 * statements too: each is a round trip). At 500 deliveries/s every round trip is a socket write
 * and a read on the two cores the service shares with PostgreSQL (issue 24 item 10): a
 * participant event, the most frequent delivery, is one statement — deduplicated on the event id,
 * its meeting found or created, its participant upserted, its event filed — and so is every event
 * without effects. The effects are checked too, so the count cannot be bought by doing less.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { recordDailyWebhook } from '../../src/platforms/daily/handle-webhook.ts';
import { recordWherebyWebhook } from '../../src/platforms/whereby/handle-webhook.ts';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../helpers/databases.ts';

const bytes = (body: unknown) => new TextEncoder().encode(JSON.stringify(body));
const dailyParticipant = (id: string, type: 'participant.joined' | 'participant.left', room: string, session: string, name: string | null) => ({
  version: '1.0.0',
  type,
  id,
  event_ts: 1_790_000_100,
  payload: { room, session_id: session, user_name: name ?? undefined, joined_at: 1_790_000_000, duration: type === 'participant.left' ? 60 : undefined },
});

describe.each(BACKENDS)('statements per webhook delivery on %s', (backend) => {
  let t: TestDatabase;
  const sent: string[] = [];
  /** The statements `work` sends, and its result. */
  const counted = async <T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> => {
    sent.length = 0;
    const result = await work();
    return { result, statements: [...sent] };
  };
  const daily = (body: unknown) => counted(() => recordDailyWebhook({ db: t.handle.db, secretBase64: 'unused', dailyBucket: 'bucket' }, bytes(body)));

  beforeAll(async () => {
    t = await createTestDatabase(backend, { onQuery: (sql) => sent.push(sql) });
    await migrateToLatest(t.handle.db);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('a Daily participant event is one statement: new room, known room, redelivery', async () => {
    const first = await daily(dailyParticipant('evt-1', 'participant.joined', 'room-a', 'sess-1', null));
    expect(first.result).toMatchObject({ status: 200, outcome: 'recorded' });
    expect(first.statements).toHaveLength(1);

    const second = await daily(dailyParticipant('evt-2', 'participant.left', 'room-a', 'sess-1', 'Ada'));
    expect(second.result).toMatchObject({ status: 200, outcome: 'recorded' });
    expect(second.statements).toHaveLength(1);

    const again = await daily(dailyParticipant('evt-2', 'participant.left', 'room-a', 'sess-2', 'Someone else'));
    expect(again.result).toMatchObject({ status: 200, outcome: 'duplicate' });
    expect(again.statements).toHaveLength(1);

    // The effects: one discovered meeting for the room, one participant (the redelivery added nobody), both events filed.
    const db = t.handle.db;
    const meetings = await db.selectFrom('meetings').select(['id', 'origin', 'start_at']).where('room_name', '=', 'room-a').execute();
    expect(meetings).toEqual([{ id: expect.any(String), origin: 'discovered', start_at: new Date(1_790_000_000_000) }]);
    const people = await db.selectFrom('participants').select(['meeting_id', 'platform_participant_id', 'display_name', 'joined_at', 'left_at']).execute();
    expect(people).toEqual([
      {
        meeting_id: meetings[0]!.id,
        platform_participant_id: 'sess-1',
        display_name: 'Ada',
        joined_at: new Date(1_790_000_000_000),
        left_at: new Date(1_790_000_060_000),
      },
    ]);
    const events = await db.selectFrom('webhook_events').select(['event_id', 'status']).where('platform', '=', 'daily').orderBy('event_id').execute();
    expect(events).toEqual([
      { event_id: 'evt-1', status: 'processed' },
      { event_id: 'evt-2', status: 'processed' },
    ]);
  });

  it('a participant event joins the closest meeting of its room within the window, or starts one', async () => {
    const db = t.handle.db;
    const near = await db
      .insertInto('meetings')
      .values({ platform: 'daily', room_name: 'room-b', origin: 'api', start_at: new Date(1_790_000_000_000 - 3_600_000) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('meetings')
      .values({ platform: 'daily', room_name: 'room-b', origin: 'api', start_at: new Date(1_790_000_000_000 - 5 * 3_600_000) })
      .execute();
    await daily(dailyParticipant('evt-b1', 'participant.joined', 'room-b', 'sess-b', 'Bo'));
    const bo = await db.selectFrom('participants').select('meeting_id').where('platform_participant_id', '=', 'sess-b').executeTakeFirstOrThrow();
    expect(bo.meeting_id).toBe(near.id);

    // A day later the same room is another meeting: discovered.
    const later = dailyParticipant('evt-b2', 'participant.joined', 'room-b', 'sess-c', 'Cy');
    await daily({ ...later, payload: { ...later.payload, joined_at: 1_790_000_000 + 86_400 } });
    const cy = await db.selectFrom('participants').select('meeting_id').where('platform_participant_id', '=', 'sess-c').executeTakeFirstOrThrow();
    const meeting = await db.selectFrom('meetings').select(['origin', 'start_at']).where('id', '=', cy.meeting_id!).executeTakeFirstOrThrow();
    expect(meeting).toEqual({ origin: 'discovered', start_at: new Date((1_790_000_000 + 86_400) * 1000) });
  });

  it('an event without effects is one statement', async () => {
    const ended = await daily({ version: '1.0.0', type: 'meeting.ended', id: 'evt-end', event_ts: 1_790_000_200, payload: { room: 'room-a' } });
    expect(ended.result).toMatchObject({ status: 200, outcome: 'recorded' });
    expect(ended.statements).toHaveLength(1);
  });

  it('a Whereby participant event is one statement', async () => {
    const event = {
      id: 'wb-1',
      type: 'room.client.joined',
      createdAt: '2026-09-21T10:00:00.000Z',
      data: { roomName: '/standup', participantId: 'part-1', roomSessionId: 'rs-1', displayName: 'Wu', roleName: 'host' },
    };
    const { result, statements } = await counted(() => recordWherebyWebhook({ db: t.handle.db, secret: 'unused' }, bytes(event)));
    expect(result).toMatchObject({ status: 200, outcome: 'recorded' });
    expect(statements).toHaveLength(1);
    const row = await t.handle.db
      .selectFrom('participants')
      .innerJoin('meetings', 'meetings.id', 'participants.meeting_id')
      .select(['meetings.room_name', 'participants.platform_session_id', 'participants.display_name', 'participants.joined_at', 'participants.left_at'])
      .where('participants.platform_participant_id', '=', 'part-1')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      room_name: 'standup',
      platform_session_id: 'rs-1',
      display_name: 'Wu',
      joined_at: new Date('2026-09-21T10:00:00.000Z'),
      left_at: null,
    });
  });

  it('a recording announcement: job, recording and transcript rows, event — in one transaction', async () => {
    const room = 'room-rec';
    const announce = (id: string) => ({
      version: '1.0.0',
      type: 'recording.ready-to-download',
      id,
      event_ts: 1_790_000_300,
      payload: {
        type: 'raw-tracks',
        recording_id: 'rec-1',
        room_name: room,
        start_ts: 1_790_000_000,
        s3_key: `acme/${room}/1790000000000`,
        tracks: [{ type: 'audio', s3Key: `acme/${room}/1790000000000-11111111-1111-4111-8111-111111111111-cam-audio-1790000001000`, size: 1 }],
      },
    });
    // Rare beside participant events (one per recording): BEGIN, tombstone check (FOR SHARE), job,
    // recording lookup, meeting, recording, transcript, event, COMMIT. PGlite logs no BEGIN/COMMIT.
    const transaction = backend === 'postgres' ? 2 : 0;
    const first = await daily(announce('evt-rec-1'));
    expect(first.result).toMatchObject({ status: 200, outcome: 'enqueued' });
    expect(first.statements).toHaveLength(7 + transaction);
    // The same recording under a new event id: the job is found by its key, nothing else is written.
    const again = await daily(announce('evt-rec-2'));
    expect(again.result).toMatchObject({ status: 200, outcome: 'duplicate' });
    expect(again.statements).toHaveLength(4 + transaction);
    const db = t.handle.db;
    const recording = await db.selectFrom('recordings').select(['id', 'status']).where('platform_recording_id', '=', 'rec-1').executeTakeFirstOrThrow();
    expect(recording.status).toBe('pending');
    const transcripts = await db.selectFrom('transcripts').select('status').where('recording_id', '=', recording.id).execute();
    expect(transcripts).toEqual([{ status: 'pending' }]);
    const jobs = await db.selectFrom('jobs').select('idempotency_key').execute();
    expect(jobs).toEqual([{ idempotency_key: 'daily:rec-1' }]);
  });

  it.runIf(backend === 'postgres')('the webhook statements are prepared once per connection, then executed by name', async () => {
    await daily(dailyParticipant('evt-p1', 'participant.joined', 'room-p', 'sess-p', 'Pat'));
    await daily(dailyParticipant('evt-p2', 'participant.left', 'room-p', 'sess-p', 'Pat'));
    // Run one at a time, the suite's statements share one pooled connection: this one.
    const { rows } = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(t.handle.db);
    // The participant event's statement, and (from the events filed earlier in this suite) the event alone.
    const prepared = rows.filter((r) => r.statement.includes('insert into webhook_events'));
    expect(prepared.map((r) => [r.name.length, r.statement.includes('insert into participants')]).sort()).toEqual([
      [27, false],
      [27, true],
    ]);
  });
});
