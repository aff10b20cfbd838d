/**
 * Our API: meetings (created on the platform and stored), recordings with their tracks, and
 * transcripts. Every route names the scope it needs (route.ts); rows outside the caller's
 * meetings read as 404 (auth/access.ts). Ids are validated before they reach the database, and
 * a meeting's whole request before a platform is called.
 */
import type { H3 } from 'h3';
import type { Kysely } from 'kysely';
import type { Authenticator } from '../auth/authenticate.ts';
import { visibleMeeting, visibleRecording, visibleTranscript } from '../auth/access.ts';
import { inspectorUrl } from '../auth/signed-links.ts';
import type { Database } from '../db/schema.ts';
import { createDailyRoom, type DailyApi } from '../platforms/daily/api-client.ts';
import { createWherebyMeeting, type WherebyApi } from '../platforms/whereby/api-client.ts';
import { normalizeWherebyRoomName } from '../platforms/whereby/recording-key.ts';
import { loadSpeakerNames } from '../recordings/recording-speakers.ts';
import type { TranscriptSegment } from '../transcription/transcript.ts';
import { toApi } from './api-case.ts';
import { MEETING_ROUTES as R } from './meeting-route-specs.ts';
import { apiError, notFound } from './errors.ts';
import { mount, reply } from './route.ts';

export type MeetingPlatforms = {
  daily?: { api: DailyApi; bucket: string; region: string; roleArn: string };
  whereby?: { api: WherebyApi; bucket: string; accessKeyId: string; accessKeySecret: string };
};

export type ApiDeps = { db: Kysely<Database>; platforms: MeetingPlatforms; auth: Authenticator; maxBodyBytes: number; linkSigningKey: string };

const DEFAULT_MEETING_HOURS = 24;

export const registerApiRoutes = (app: H3, deps: ApiDeps) => {
  const { db } = deps;

  mount(app, deps, R.createMeeting, async ({ principal, body }) => {
    const endDate = body.endDate ? new Date(body.endDate) : new Date(Date.now() + DEFAULT_MEETING_HOURS * 3600_000);
    if (body.platform === 'daily') {
      const daily = deps.platforms.daily;
      if (!daily) return apiError(503, 'NOT_CONFIGURED', 'Daily meetings need DAILY_API_KEY, DAILYCO_STORAGE_AWS_REGION and DAILYCO_STORAGE_AWS_ROLE_ARN');
      const room = await createDailyRoom(daily.api, {
        name: body.roomName,
        expiresAt: endDate,
        bucket: { bucketName: daily.bucket, bucketRegion: daily.region, assumeRoleArn: daily.roleArn },
      });
      const row = await db
        .insertInto('meetings')
        .values({ platform: 'daily', room_name: room.name, room_url: room.url, start_at: new Date(), end_at: endDate, origin: 'api', owner: principal.owner })
        .returningAll()
        .executeTakeFirstOrThrow();
      return reply(201, { meeting: toApi(row), hostRoomUrl: null });
    }
    const whereby = deps.platforms.whereby;
    if (!whereby) return apiError(503, 'NOT_CONFIGURED', 'Whereby meetings need WHEREBY_API_KEY and WHEREBY_STORAGE_AWS_ACCESS_KEY_ID / _SECRET_ACCESS_KEY');
    const created = await createWherebyMeeting(whereby.api, {
      roomNamePrefix: body.roomName,
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
    return reply(201, { meeting: toApi(row), hostRoomUrl: created.hostRoomUrl ?? null });
  });

  mount(app, deps, R.listMeetings, async ({ principal, query }) => {
    let rows = db.selectFrom('meetings').selectAll().orderBy('created_at', 'desc').limit(query.limit);
    if (principal.scope !== 'admin') rows = rows.where('owner', '=', principal.owner);
    return reply(200, { meetings: (await rows.execute()).map(toApi) });
  });

  mount(app, deps, R.getMeeting, async ({ principal, params }) => {
    const meeting = await visibleMeeting(db, principal, params.id);
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
    return reply(200, { meeting: toApi(meeting), participants: participants.map(toApi), recordings: recordings.map(toApi) });
  });

  // Admins assign a discovered meeting (and so its recordings) to an owner, or take it back.
  mount(app, deps, R.assignMeeting, async ({ params, body }) => {
    const meeting = await db.updateTable('meetings').set({ owner: body.owner }).where('id', '=', params.id).returningAll().executeTakeFirst();
    return meeting ? reply(200, { meeting: toApi(meeting) }) : notFound('meeting');
  });

  mount(app, deps, R.getRecording, async ({ principal, params }) => {
    const recording = await visibleRecording(db, principal, params.id);
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
    return reply(200, {
      recording: toApi(recording),
      tracks: tracks.map((t) => ({ ...toApi(t), speaker: t.participant_id ? names.get(t.participant_id)! : null })),
      transcript: transcript ? toApi(transcript) : null,
      // The inspector opens without a bearer token through this short-lived link (media-routes.ts).
      inspectorUrl: await inspectorUrl(db, deps.linkSigningKey, recording.id, principal),
    });
  });

  mount(app, deps, R.getTranscript, async ({ principal, params }) => {
    const found = await visibleTranscript(db, principal, params.id);
    if (!found) return notFound('transcript');
    const { segments, transcription_status, transcription_error, language, word_count, ...transcript } = found;
    return reply(200, {
      transcript: toApi(transcript),
      // The words' own state (recordings/transcription-states.ts); all words: <id>/transcript.json via /v1/recordings/:id/transcript.
      transcription: { status: transcription_status, error: transcription_error, language, wordCount: word_count },
      // jsonb, written as TranscriptSegment[] by transcription-states.ts
      segments: (segments ?? []) as TranscriptSegment[],
    });
  });
};
