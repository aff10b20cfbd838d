/**
 * Media: a transcript's audio (a redirect to a presigned URL of the transcript bucket) and the
 * local store's presigned object route (signature and expiry checked, then streamed).
 */
import { getQuery, getRouterParam, type H3 } from 'h3';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.ts';
import { verifyPresignedGet } from '../storage/local-store.ts';
import type { Stores } from '../storage/open-stores.ts';
import { apiError, notFound } from './errors.ts';

const AUDIO_URL_TTL_SEC = 3600;

export const registerMediaRoutes = (app: H3, deps: { db: Kysely<Database>; stores: Stores; localSigningKey?: string }) => {
  app.get('/v1/transcripts/:id/audio', async (event) => {
    const id = getRouterParam(event, 'id');
    const transcript = z.uuid().safeParse(id).success
      ? await deps.db.selectFrom('transcripts').select(['status', 'audio_key']).where('id', '=', id!).executeTakeFirst()
      : undefined;
    if (!transcript) return notFound('transcript');
    if (transcript.status !== 'ready' || !transcript.audio_key) return apiError(409, 'NOT_READY', `transcript is ${transcript.status}`);
    const url = await deps.stores.transcripts.presignGet(transcript.audio_key, AUDIO_URL_TTL_SEC);
    return new Response(null, { status: 302, headers: { location: url } });
  });

  // The inspector (/debugger/?recording=<id>) reads the stored timeline and mixdown through these:
  // same origin, streamed, whatever the store is.
  const transcriptOf = async (recordingId: string | undefined) =>
    z.uuid().safeParse(recordingId).success
      ? deps.db.selectFrom('transcripts').select(['id', 'status', 'audio_key']).where('recording_id', '=', recordingId!).executeTakeFirst()
      : undefined;
  const stream = async (key: string, contentType: string) => {
    const object = await deps.stores.transcripts.get(key);
    return new Response(Readable.toWeb(object.body) as ReadableStream, { headers: { 'content-type': contentType, 'content-length': String(object.sizeBytes) } });
  };
  app.get('/v1/recordings/:id/timeline', async (event) => {
    const transcript = await transcriptOf(getRouterParam(event, 'id'));
    if (!transcript) return notFound('recording');
    if (transcript.status !== 'ready') return apiError(409, 'NOT_READY', `transcript is ${transcript.status}`);
    return stream(`${transcript.id}/timeline.json`, 'application/json');
  });
  app.get('/v1/recordings/:id/audio', async (event) => {
    const transcript = await transcriptOf(getRouterParam(event, 'id'));
    if (!transcript?.audio_key) return notFound('recording audio');
    return stream(transcript.audio_key, 'audio/mpeg');
  });

  app.get('/v1/objects/:bucket/**', async (event) => {
    if (!deps.localSigningKey) return notFound('object');
    const bucket = getRouterParam(event, 'bucket')!;
    const prefix = `/v1/objects/${encodeURIComponent(bucket)}/`;
    const path = new URL(event.req.url).pathname;
    const key = path.slice(prefix.length).split('/').map(decodeURIComponent).join('/');
    const store = Object.values(deps.stores).find((s) => s.bucket === bucket);
    const { expires, signature } = getQuery(event) as { expires?: string; signature?: string };
    if (!store || !signature || !verifyPresignedGet(deps.localSigningKey, bucket, key, Number(expires), signature)) {
      return apiError(403, 'FORBIDDEN', 'invalid or expired object URL');
    }
    const object = await store.get(key);
    return new Response(Readable.toWeb(object.body) as ReadableStream, {
      headers: { 'content-type': key.endsWith('.mp3') ? 'audio/mpeg' : key.endsWith('.json') ? 'application/json' : 'application/octet-stream', 'content-length': String(object.sizeBytes) },
    });
  });
};
