/**
 * Operator routes on recordings: the listing by state (failed ones first of all), reprocessing,
 * deleting a transcript with its objects, and (re)transcribing a transcript's audio without
 * reprocessing it. `write` acts on the caller's own meetings,
 * `admin` on all; others' rows read as 404.
 */
import { getQuery, type H3 } from 'h3';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Authenticator } from '../auth/authenticate.ts';
import { visibleRecording, visibleTranscript } from '../auth/access.ts';
import type { Database } from '../db/schema.ts';
import { deleteRecording, deleteTranscript } from '../recordings/delete-recording.ts';
import { reprocessRecording } from '../recordings/operator-actions.ts';
import { requestTranscription } from '../recordings/transcription-states.ts';
import type { Stores } from '../storage/open-stores.ts';
import { idParam } from './api-routes.ts';
import { apiError, jsonResponse, notFound } from './errors.ts';
import { guard } from './guard.ts';

const ListQuery = z.object({
  status: z.enum(['pending', 'processing', 'cleanup', 'processed', 'failed', 'deleted']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const registerRecordingActionRoutes = (
  app: H3,
  deps: { db: Kysely<Database>; stores: Stores; auth: Authenticator; transcription: boolean; jobMaxAttempts: number },
) => {
  const { db } = deps;

  app.get(
    '/v1/recordings',
    guard(deps.auth, 'read', async (event, principal) => {
      const query = ListQuery.safeParse(getQuery(event));
      if (!query.success) return apiError(400, 'BAD_REQUEST', query.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      let rows = db
        .selectFrom('recordings')
        .leftJoin('meetings', 'meetings.id', 'recordings.meeting_id')
        .select([
          'recordings.id',
          'recordings.platform',
          'recordings.platform_recording_id',
          'recordings.status',
          'recordings.error',
          'recordings.meeting_id',
          'meetings.room_name',
          'recordings.start_at',
          'recordings.updated_at',
        ])
        .orderBy('recordings.updated_at', 'desc')
        .limit(query.data.limit);
      // Tombstones are listed to admins who ask for them, and read as absent everywhere else.
      if (query.data.status === 'deleted' && principal.scope !== 'admin') return apiError(403, 'FORBIDDEN', 'listing deleted recordings needs the admin scope');
      rows = query.data.status ? rows.where('recordings.status', '=', query.data.status) : rows.where('recordings.status', '!=', 'deleted');
      if (principal.scope !== 'admin') rows = rows.where('meetings.owner', '=', principal.owner);
      return { recordings: await rows.execute() };
    }),
  );

  app.post(
    '/v1/recordings/:id/reprocess',
    guard(deps.auth, 'write', async (event, principal) => {
      const id = idParam(event);
      if (!id || !(await visibleRecording(db, principal, id))) return notFound('recording');
      const { jobId } = await reprocessRecording(db, deps.stores, id);
      return jsonResponse(202, { recordingId: id, jobId, status: 'pending' });
    }),
  );

  // The words again (after a failed transcription, or a new transcriber), from the stored audio:
  // nothing is reprocessed, the raw recording is not needed.
  app.post(
    '/v1/transcripts/:id/transcribe',
    guard(deps.auth, 'write', async (event, principal) => {
      const id = idParam(event);
      const found = id && (await visibleTranscript(db, principal, id));
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
      return jsonResponse(202, { transcriptId: found.id, jobId: queued.jobId, transcription: { status: 'pending' } });
    }),
  );

  app.delete(
    '/v1/transcripts/:id',
    guard(deps.auth, 'write', async (event, principal) => {
      const id = idParam(event);
      if (!id || !(await visibleTranscript(db, principal, id))) return notFound('transcript');
      const deleted = await deleteTranscript(db, deps.stores, id);
      return { deleted: { transcriptId: id, objects: deleted.objects, rawObjects: deleted.rawObjects } };
    }),
  );

  app.delete(
    '/v1/recordings/:id',
    guard(deps.auth, 'write', async (event, principal) => {
      const id = idParam(event);
      if (!id || !(await visibleRecording(db, principal, id))) return notFound('recording');
      const deleted = await deleteRecording(db, deps.stores, id);
      return { deleted: { recordingId: id, transcriptIds: deleted.transcriptIds, objects: deleted.objects, rawObjects: deleted.rawObjects } };
    }),
  );
};
