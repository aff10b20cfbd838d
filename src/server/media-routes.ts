/**
 * Media: a transcript's audio (a redirect to a presigned URL of the transcript bucket), a
 * recording's stored timeline, mixdown and words (transcript.json) for the inspector, and the local store's presigned
 * object route. The first need a bearer credential that may see the recording; the inspector
 * routes also take the recording's signed link (auth/signed-links.ts); object URLs carry their
 * own signature.
 */
import { getQuery, getRouterParam, type H3, type H3Event } from 'h3';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Authenticator } from '../auth/authenticate.ts';
import { visibleRecording, visibleTranscript } from '../auth/access.ts';
import { verifyInspectorLink } from '../auth/signed-links.ts';
import type { Database } from '../db/schema.ts';
import { verifyPresignedGet } from '../storage/local-store.ts';
import type { Stores } from '../storage/open-stores.ts';
import { idParam } from './api-routes.ts';
import { apiError, notFound } from './errors.ts';
import { authorize, guard } from './guard.ts';

const AUDIO_URL_TTL_SEC = 3600;

export type MediaDeps = { db: Kysely<Database>; stores: Stores; auth: Authenticator; localSigningKey?: string; linkSigningKey: string };

export const registerMediaRoutes = (app: H3, deps: MediaDeps) => {
  app.get(
    '/v1/transcripts/:id/audio',
    guard(deps.auth, 'read', async (event, principal) => {
      const id = idParam(event);
      const transcript = id && (await visibleTranscript(deps.db, principal, id));
      if (!transcript) return notFound('transcript');
      if (transcript.status !== 'ready' || !transcript.audio_key) return apiError(409, 'NOT_READY', `transcript is ${transcript.status}`);
      const url = await deps.stores.transcripts.presignGet(transcript.audio_key, AUDIO_URL_TTL_SEC);
      return new Response(null, { status: 302, headers: { location: url, 'cache-control': 'no-store' } });
    }),
  );

  /** The recording's transcript when the caller may see it: a valid signed link, or a bearer credential with read on its meeting. */
  const transcriptFor = async (event: H3Event): Promise<Response | { id: string; status: string; audio_key: string | null; transcription_status: string }> => {
    const id = idParam(event);
    const { expires, signature } = getQuery(event) as { expires?: string; signature?: string };
    if (signature !== undefined) {
      if (!id || !(await verifyInspectorLink(deps.db, deps.linkSigningKey, id, expires, signature)))
        return apiError(403, 'FORBIDDEN', 'invalid or expired inspector link');
    } else {
      const principal = await authorize(deps.auth, event, 'read');
      if (principal instanceof Response) return principal;
      if (!id || !(await visibleRecording(deps.db, principal, id))) return notFound('recording');
    }
    const transcript = await deps.db
      .selectFrom('transcripts')
      .select(['id', 'status', 'audio_key', 'transcription_status'])
      .where('recording_id', '=', id!)
      .executeTakeFirst();
    return transcript ?? notFound('recording');
  };
  const stream = async (key: string, contentType: string) => {
    const object = await deps.stores.transcripts.get(key);
    return new Response(Readable.toWeb(object.body) as ReadableStream, {
      headers: { 'content-type': contentType, 'content-length': String(object.sizeBytes), 'cache-control': 'private, no-store' },
    });
  };
  app.get('/v1/recordings/:id/timeline', async (event) => {
    const transcript = await transcriptFor(event);
    if (transcript instanceof Response) return transcript;
    if (transcript.status !== 'ready') return apiError(409, 'NOT_READY', `transcript is ${transcript.status}`);
    return stream(`${transcript.id}/timeline.json`, 'application/json');
  });
  app.get('/v1/recordings/:id/transcript', async (event) => {
    const transcript = await transcriptFor(event);
    if (transcript instanceof Response) return transcript;
    if (transcript.transcription_status !== 'ready') return apiError(409, 'NOT_READY', `transcription is ${transcript.transcription_status}`);
    return stream(`${transcript.id}/transcript.json`, 'application/json');
  });
  app.get('/v1/recordings/:id/audio', async (event) => {
    const transcript = await transcriptFor(event);
    if (transcript instanceof Response) return transcript;
    if (!transcript.audio_key) return notFound('recording audio');
    return stream(transcript.audio_key, 'audio/mpeg');
  });

  // Presigned URLs of the local store: the signature is the credential.
  app.get('/v1/objects/:bucket/**', async (event) => {
    if (!deps.localSigningKey) return notFound('object');
    const bucket = getRouterParam(event, 'bucket')!;
    const prefix = `/v1/objects/${encodeURIComponent(bucket)}/`;
    const path = new URL(event.req.url).pathname;
    let key: string;
    try {
      key = path.slice(prefix.length).split('/').map(decodeURIComponent).join('/');
    } catch {
      return apiError(400, 'BAD_REQUEST', 'malformed object path');
    }
    const store = Object.values(deps.stores).find((s) => s.bucket === bucket);
    const { expires, signature } = getQuery(event) as { expires?: string; signature?: string };
    if (!store || !signature || !verifyPresignedGet(deps.localSigningKey, bucket, key, Number(expires), signature)) {
      return apiError(403, 'FORBIDDEN', 'invalid or expired object URL');
    }
    const object = await store.get(key);
    return new Response(Readable.toWeb(object.body) as ReadableStream, {
      headers: {
        'content-type': key.endsWith('.mp3') ? 'audio/mpeg' : key.endsWith('.json') ? 'application/json' : 'application/octet-stream',
        'content-length': String(object.sizeBytes),
      },
    });
  });
};
