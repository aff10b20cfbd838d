/**
 * Our API: meetings (created on the platform and stored), recordings with their tracks, and
 * transcripts. Every route names the scope it needs (guard.ts); rows outside the caller's
 * meetings read as 404 (auth/access.ts). Ids are validated before they reach the database.
 */
import { getQuery, getRouterParam, type H3, type H3Event } from 'h3';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Authenticator } from '../auth/authenticate.ts';
import { visibleMeeting, visibleRecording, visibleTranscript } from '../auth/access.ts';
import { inspectorUrl } from '../auth/signed-links.ts';
import type { Database } from '../db/schema.ts';
import { createDailyRoom, type DailyApi } from '../platforms/daily/api-client.ts';
import { createWherebyMeeting, type WherebyApi } from '../platforms/whereby/api-client.ts';
import { normalizeWherebyRoomName } from '../platforms/whereby/recording-key.ts';
import { loadSpeakerNames } from '../recordings/recording-speakers.ts';
import { apiError, jsonResponse, notFound } from './errors.ts';
import { guard, readJsonBody } from './guard.ts';

export type MeetingPlatforms = {
  daily?: { api: DailyApi; bucket: string; region: string; roleArn: string };
  whereby?: { api: WherebyApi; bucket: string; accessKeyId: string; accessKeySecret: string };
};

export type ApiDeps = { db: Kysely<Database>; platforms: MeetingPlatforms; auth: Authenticator; maxBodyBytes: number; linkSigningKey: string };

const uuid = z.uuid();
export const idParam = (event: H3Event): string | null => {
  const id = getRouterParam(event, 'id');
  return uuid.safeParse(id).success ? id! : null;
};

const issues = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');

const CreateMeeting = z.object({
  platform: z.enum(['daily', 'whereby']),
  roomName: z.string().trim().min(1).max(100).optional(),
  endDate: z.iso.datetime().optional(),
});

const AssignOwner = z.object({
  owner: z
    .string()
    .regex(/^(key|user):[^\s]{1,200}$/, 'must be key:<api key id> or user:<subject>')
    .nullable(),
});

export const registerApiRoutes = (app: H3, deps: ApiDeps) => {
  const { db, auth } = deps;

  app.post(
    '/v1/meetings',
    guard(auth, 'write', async (event, principal) => {
      const body = CreateMeeting.safeParse(await readJsonBody(event, deps.maxBodyBytes));
      if (!body.success) return apiError(400, 'BAD_REQUEST', issues(body.error));
      const endDate = body.data.endDate ? new Date(body.data.endDate) : new Date(Date.now() + 24 * 3600_000);
      if (body.data.platform === 'daily') {
        const daily = deps.platforms.daily;
        if (!daily) return apiError(503, 'NOT_CONFIGURED', 'Daily meetings need DAILY_API_KEY, DAILYCO_STORAGE_AWS_REGION and DAILYCO_STORAGE_AWS_ROLE_ARN');
        const room = await createDailyRoom(daily.api, {
          name: body.data.roomName,
          expiresAt: endDate,
          bucket: { bucketName: daily.bucket, bucketRegion: daily.region, assumeRoleArn: daily.roleArn },
        });
        const row = await db
          .insertInto('meetings')
          .values({ platform: 'daily', room_name: room.name, room_url: room.url, start_at: new Date(), end_at: endDate, origin: 'api', owner: principal.owner })
          .returningAll()
          .executeTakeFirstOrThrow();
        return jsonResponse(201, { meeting: row });
      }
      const whereby = deps.platforms.whereby;
      if (!whereby) return apiError(503, 'NOT_CONFIGURED', 'Whereby meetings need WHEREBY_API_KEY and WHEREBY_STORAGE_AWS_ACCESS_KEY_ID / _SECRET_ACCESS_KEY');
      const created = await createWherebyMeeting(whereby.api, {
        roomNamePrefix: body.data.roomName,
        endDate,
        destination: { bucket: whereby.bucket, accessKeyId: whereby.accessKeyId, accessKeySecret: whereby.accessKeySecret },
      });
      const row = await db
        .insertInto('meetings')
        .values({
          platform: 'whereby',
          room_name: normalizeWherebyRoomName(created.roomName),
          platform_meeting_id: created.meetingId,
          room_url: created.roomUrl,
          start_at: new Date(),
          end_at: endDate,
          origin: 'api',
          owner: principal.owner,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return jsonResponse(201, { meeting: row, hostRoomUrl: created.hostRoomUrl ?? null });
    }),
  );

  app.get(
    '/v1/meetings',
    guard(auth, 'read', async (event, principal) => {
      const limit = Math.min(200, Math.max(1, Number(getQuery(event).limit ?? 50) || 50));
      let query = db.selectFrom('meetings').selectAll().orderBy('created_at', 'desc').limit(limit);
      if (principal.scope !== 'admin') query = query.where('owner', '=', principal.owner);
      return { meetings: await query.execute() };
    }),
  );

  app.get(
    '/v1/meetings/:id',
    guard(auth, 'read', async (event, principal) => {
      const id = idParam(event);
      const meeting = id && (await visibleMeeting(db, principal, id));
      if (!meeting) return notFound('meeting');
      const [participants, recordings] = await Promise.all([
        db.selectFrom('participants').selectAll().where('meeting_id', '=', meeting.id).orderBy('joined_at').execute(),
        db
          .selectFrom('recordings')
          .select(['id', 'platform_recording_id', 'status', 'start_at', 'duration_ms', 'error'])
          .where('meeting_id', '=', meeting.id)
          .where('status', '!=', 'deleted')
          .orderBy('start_at')
          .execute(),
      ]);
      return { meeting, participants, recordings };
    }),
  );

  // Admins assign a discovered meeting (and so its recordings) to an owner, or take it back.
  app.patch(
    '/v1/meetings/:id',
    guard(auth, 'admin', async (event) => {
      const id = idParam(event);
      const body = AssignOwner.safeParse(await readJsonBody(event, deps.maxBodyBytes));
      if (!body.success) return apiError(400, 'BAD_REQUEST', issues(body.error));
      const meeting = id && (await db.updateTable('meetings').set({ owner: body.data.owner }).where('id', '=', id).returningAll().executeTakeFirst());
      return meeting ? { meeting } : notFound('meeting');
    }),
  );

  app.get(
    '/v1/recordings/:id',
    guard(auth, 'read', async (event, principal) => {
      const id = idParam(event);
      const recording = id && (await visibleRecording(db, principal, id));
      if (!recording) return notFound('recording');
      const [tracks, transcript] = await Promise.all([
        db.selectFrom('tracks').selectAll().where('recording_id', '=', recording.id).orderBy('offset_ms').execute(),
        db
          .selectFrom('transcripts')
          .select(['id', 'status', 'audio_key', 'duration_ms', 'transcription_status', 'transcription_error'])
          .where('recording_id', '=', recording.id)
          .executeTakeFirst(),
      ]);
      const names = await loadSpeakerNames(db, recording, tracks);
      return {
        recording,
        tracks: tracks.map((t) => ({ ...t, speaker: t.participant_id ? names.get(t.participant_id)! : null })),
        transcript: transcript ?? null,
        // The inspector opens without a bearer token through this short-lived link (media-routes.ts).
        inspectorUrl: await inspectorUrl(db, deps.linkSigningKey, recording.id, principal),
      };
    }),
  );

  app.get(
    '/v1/transcripts/:id',
    guard(auth, 'read', async (event, principal) => {
      const id = idParam(event);
      const found = id && (await visibleTranscript(db, principal, id));
      if (!found) return notFound('transcript');
      const { segments, transcription_status, transcription_error, language, word_count, ...transcript } = found;
      return {
        transcript,
        // The words' own state (recordings/transcription-states.ts); all words: <id>/transcript.json via /v1/recordings/:id/transcript.
        transcription: { status: transcription_status, error: transcription_error, language, wordCount: word_count },
        segments: segments ?? [],
      };
    }),
  );
};
