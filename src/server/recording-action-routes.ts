/**
 * Operator routes on recordings: the listing by state (failed ones first of all), reprocessing,
 * deleting a transcript with its objects, and (re)transcribing a transcript's audio without
 * reprocessing it. `write` acts on the caller's own meetings,
 * `admin` on all; others' rows read as 404.
 */
import type { H3 } from 'h3';
import { sql, type Kysely } from 'kysely';
import type { Authenticator } from '../auth/authenticate.ts';
import { visibleRecording, visibleTranscript } from '../auth/access.ts';
import type { Database } from '../db/schema.ts';
import { deleteRecording, deleteTranscript } from '../recordings/delete-recording.ts';
import { reprocessRecording } from '../recordings/operator-actions.ts';
import { requestTranscription } from '../recordings/transcription-states.ts';
import type { Stores } from '../storage/open-stores.ts';
import { toApi } from './api-case.ts';
import { apiError, notFound } from './errors.ts';
import { OPERATOR_ROUTES as R } from './operator-route-specs.ts';
import { mount, reply } from './route.ts';

export const registerRecordingActionRoutes = (
  app: H3,
  deps: { db: Kysely<Database>; stores: Stores; auth: Authenticator; transcription: boolean; jobMaxAttempts: number; maxBodyBytes: number },
) => {
  const { db } = deps;

  mount(app, deps, R.listRecordings, async ({ principal, query }) => {
    // Tombstones are listed to admins who ask for them, and read as absent everywhere else.
    if (query.status === 'deleted' && principal.scope !== 'admin') return apiError(403, 'FORBIDDEN', 'listing deleted recordings needs the admin scope');
    let rows = db
      .selectFrom('recordings')
      .leftJoin('meetings', 'meetings.id', 'recordings.meeting_id')
      // The recording's transcript (one per recording; the latest, should there be more).
      .leftJoinLateral(
        (eb) =>
          eb
            .selectFrom('transcripts')
            .select(['transcripts.id', 'transcripts.duration_ms', 'transcripts.transcription_status', 'transcripts.transcription_error'])
            .whereRef('transcripts.recording_id', '=', 'recordings.id')
            .orderBy('transcripts.created_at', 'desc')
            .limit(1)
            .as('transcript'),
        (join) => join.onTrue(),
      )
      .select((eb) => [
        'recordings.id',
        'recordings.platform',
        'recordings.platform_recording_id',
        'recordings.status',
        'recordings.error',
        'recordings.meeting_id',
        'meetings.room_name',
        'recordings.start_at',
        'recordings.updated_at',
        'recordings.created_at',
        eb.fn.coalesce('transcript.duration_ms', 'recordings.duration_ms').as('duration_ms'),
        // Its track rows once processing placed them; before that (pending, or failed early) the raw objects announced.
        sql<number>`coalesce(nullif((select count(*) from tracks where tracks.recording_id = recordings.id), 0), jsonb_array_length(recordings.object_keys))`.as(
          'tracks',
        ),
        'transcript.id as transcript_id',
        'transcript.transcription_status',
        'transcript.transcription_error',
      ])
      // One more than asked: whether there is a next page.
      .limit(query.limit + 1)
      .offset(query.offset);
    rows =
      query.order === 'newest'
        ? rows.orderBy((eb) => eb.fn.coalesce('recordings.start_at', 'recordings.created_at'), 'desc').orderBy('recordings.id', 'desc')
        : rows.orderBy('recordings.updated_at', 'desc').orderBy('recordings.id', 'desc');
    rows = query.status ? rows.where('recordings.status', '=', query.status) : rows.where('recordings.status', '!=', 'deleted');
    if (principal.scope !== 'admin') rows = rows.where('meetings.owner', '=', principal.owner);
    const found = await rows.execute();
    const page = found.slice(0, query.limit).map((row) => ({ ...toApi(row), tracks: Number(row.tracks ?? 0) }));
    return reply(200, { recordings: page, nextOffset: found.length > query.limit ? query.offset + query.limit : null });
  });

  mount(app, deps, R.reprocessRecording, async ({ principal, params }) => {
    if (!(await visibleRecording(db, principal, params.id))) return notFound('recording');
    const { jobId } = await reprocessRecording(db, deps.stores, params.id);
    return reply(202, { recordingId: params.id, jobId, status: 'pending' as const });
  });

  // The words again (after a failed transcription, or a new transcriber), from the stored audio:
  // nothing is reprocessed, the raw recording is not needed.
  mount(app, deps, R.transcribe, async ({ principal, params }) => {
    const found = await visibleTranscript(db, principal, params.id);
    if (!found) return notFound('transcript');
    if (!deps.transcription) return apiError(503, 'TRANSCRIPTION_UNAVAILABLE', 'no transcriber is configured (TRANSCRIPTION_API_URL)');
    const queued = await db.transaction().execute(async (tx) => {
      // Under the row's lock: two requests cannot both queue a job.
      const row = await tx
        .selectFrom('transcripts')
        .select(['status', 'transcription_status'])
        .where('id', '=', found.id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (row.status !== 'ready') return apiError(409, 'NOT_READY', `the transcript's audio is ${row.status}`);
      if (row.transcription_status === 'pending' || row.transcription_status === 'running')
        return apiError(409, 'RECORDING_BUSY', `the transcription is already ${row.transcription_status}`);
      return { jobId: await requestTranscription(tx, found.id, deps.jobMaxAttempts) };
    });
    if (queued instanceof Response) return queued;
    return reply(202, { transcriptId: found.id, jobId: queued.jobId, transcription: { status: 'pending' as const } });
  });

  mount(app, deps, R.deleteTranscript, async ({ principal, params }) => {
    if (!(await visibleTranscript(db, principal, params.id))) return notFound('transcript');
    const deleted = await deleteTranscript(db, deps.stores, params.id);
    return reply(200, { deleted: { transcriptId: params.id, objects: deleted.objects, rawObjects: deleted.rawObjects } });
  });

  mount(app, deps, R.deleteRecording, async ({ principal, params }) => {
    if (!(await visibleRecording(db, principal, params.id))) return notFound('recording');
    const deleted = await deleteRecording(db, deps.stores, params.id);
    return reply(200, { deleted: { recordingId: params.id, transcriptIds: deleted.transcriptIds, objects: deleted.objects, rawObjects: deleted.rawObjects } });
  });
};
