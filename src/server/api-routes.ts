/**
 * Our API: meetings (created on the platform and stored), recordings with their tracks, and
 * transcripts. Read routes answer the inspector and operators; ids are validated before they
 * reach the database.
 */
import { getQuery, getRouterParam, readBody, type H3, type H3Event } from 'h3';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.ts';
import { createDailyRoom, type DailyApi } from '../platforms/daily/api-client.ts';
import { createWherebyMeeting, type WherebyApi } from '../platforms/whereby/api-client.ts';
import { normalizeWherebyRoomName } from '../platforms/whereby/recording-key.ts';
import { speakerNames } from '../recordings/speaker-names.ts';
import { apiError, jsonResponse, notFound } from './errors.ts';

export type MeetingPlatforms = {
  daily?: { api: DailyApi; bucket: string; region: string; roleArn: string };
  whereby?: { api: WherebyApi; bucket: string; accessKeyId: string; accessKeySecret: string };
};

const uuid = z.uuid();
const idParam = (event: H3Event) => {
  const id = getRouterParam(event, 'id');
  return uuid.safeParse(id).success ? id! : null;
};

const CreateMeeting = z.object({
  platform: z.enum(['daily', 'whereby']),
  roomName: z.string().trim().min(1).max(100).optional(),
  endDate: z.iso.datetime().optional(),
});

export const registerApiRoutes = (app: H3, deps: { db: Kysely<Database>; platforms: MeetingPlatforms }) => {
  const { db } = deps;

  app.post('/v1/meetings', async (event) => {
    const body = CreateMeeting.safeParse(await readBody(event).catch(() => undefined));
    if (!body.success) return apiError(400, 'BAD_REQUEST', body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    const endDate = body.data.endDate ? new Date(body.data.endDate) : new Date(Date.now() + 24 * 3600_000);
    if (body.data.platform === 'daily') {
      const daily = deps.platforms.daily;
      if (!daily) return apiError(503, 'NOT_CONFIGURED', 'Daily meetings need DAILY_API_KEY, DAILYCO_STORAGE_AWS_REGION and DAILYCO_STORAGE_AWS_ROLE_ARN');
      const room = await createDailyRoom(daily.api, { name: body.data.roomName, expiresAt: endDate, bucket: { bucketName: daily.bucket, bucketRegion: daily.region, assumeRoleArn: daily.roleArn } });
      const row = await db.insertInto('meetings').values({ platform: 'daily', room_name: room.name, room_url: room.url, start_at: new Date(), end_at: endDate, origin: 'api' }).returningAll().executeTakeFirstOrThrow();
      return jsonResponse(201, { meeting: row });
    }
    const whereby = deps.platforms.whereby;
    if (!whereby) return apiError(503, 'NOT_CONFIGURED', 'Whereby meetings need WHEREBY_API_KEY and WHEREBY_STORAGE_AWS_ACCESS_KEY_ID / _SECRET_ACCESS_KEY');
    const created = await createWherebyMeeting(whereby.api, { roomNamePrefix: body.data.roomName, endDate, destination: { bucket: whereby.bucket, accessKeyId: whereby.accessKeyId, accessKeySecret: whereby.accessKeySecret } });
    const row = await db
      .insertInto('meetings')
      .values({ platform: 'whereby', room_name: normalizeWherebyRoomName(created.roomName), platform_meeting_id: created.meetingId, room_url: created.roomUrl, start_at: new Date(), end_at: endDate, origin: 'api' })
      .returningAll()
      .executeTakeFirstOrThrow();
    return jsonResponse(201, { meeting: row, hostRoomUrl: created.hostRoomUrl ?? null });
  });

  app.get('/v1/meetings', async (event) => {
    const limit = Math.min(200, Math.max(1, Number(getQuery(event).limit ?? 50) || 50));
    return { meetings: await db.selectFrom('meetings').selectAll().orderBy('created_at', 'desc').limit(limit).execute() };
  });

  app.get('/v1/meetings/:id', async (event) => {
    const id = idParam(event);
    const meeting = id && (await db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst());
    if (!meeting) return notFound('meeting');
    const [participants, recordings] = await Promise.all([
      db.selectFrom('participants').selectAll().where('meeting_id', '=', meeting.id).orderBy('joined_at').execute(),
      db.selectFrom('recordings').select(['id', 'platform_recording_id', 'status', 'start_at', 'duration_ms', 'error']).where('meeting_id', '=', meeting.id).orderBy('start_at').execute(),
    ]);
    return { meeting, participants, recordings };
  });

  app.get('/v1/recordings/:id', async (event) => {
    const id = idParam(event);
    const recording = id && (await db.selectFrom('recordings').selectAll().where('id', '=', id).executeTakeFirst());
    if (!recording) return notFound('recording');
    const [tracks, transcript, participants] = await Promise.all([
      db.selectFrom('tracks').selectAll().where('recording_id', '=', recording.id).orderBy('offset_ms').execute(),
      db.selectFrom('transcripts').select(['id', 'status', 'audio_key', 'duration_ms']).where('recording_id', '=', recording.id).executeTakeFirst(),
      recording.meeting_id
        ? db.selectFrom('participants').select(['platform_participant_id', 'display_name']).where('meeting_id', '=', recording.meeting_id).where('display_name', 'is not', null).execute()
        : [],
    ]);
    const names = speakerNames(tracks, new Map(participants.map((p) => [p.platform_participant_id, p.display_name!])));
    return { recording, tracks: tracks.map((t) => ({ ...t, speaker: t.participant_id ? names.get(t.participant_id)! : null })), transcript: transcript ?? null };
  });

  app.get('/v1/transcripts/:id', async (event) => {
    const id = idParam(event);
    const transcript = id && (await db.selectFrom('transcripts').selectAll().where('id', '=', id).executeTakeFirst());
    return transcript ? { transcript } : notFound('transcript');
  });
};
