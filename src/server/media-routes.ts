/**
 * Media: a transcript's audio (a redirect to a presigned URL of the transcript bucket), a
 * recording's stored timeline (with speakers, served-timeline.ts), its tracks' waveform peaks,
 * mixdown and words (transcript.json) for the inspector, and the local store's presigned
 * object route. The first need a bearer credential that may see the recording; the inspector
 * routes also take the recording's signed link (auth/signed-links.ts); object URLs carry their
 * own signature.
 */
import { getRouterParam, getValidatedQuery, type H3 } from 'h3';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Authenticator } from '../auth/authenticate.ts';
import type { Principal } from '../auth/principal.ts';
import { visibleRecording, visibleTranscript } from '../auth/access.ts';
import { verifyInspectorLink } from '../auth/signed-links.ts';
import type { Database } from '../db/schema.ts';
import { verifyPresignedGet } from '../storage/local-store.ts';
import type { Stores } from '../storage/open-stores.ts';
import { apiError, notFound } from './errors.ts';
import { MEDIA_ROUTES as R } from './media-route-specs.ts';
import { mount } from './route.ts';
import { servedTimeline } from './served-timeline.ts';

const AUDIO_URL_TTL_SEC = 3600;

export type MediaDeps = { db: Kysely<Database>; stores: Stores; auth: Authenticator; localSigningKey?: string; linkSigningKey: string; maxBodyBytes: number };

export const registerMediaRoutes = (app: H3, deps: MediaDeps) => {
  mount(app, deps, R.transcriptAudio, async ({ principal, params }) => {
    const transcript = await visibleTranscript(deps.db, principal, params.id);
    if (!transcript) return notFound('transcript');
    if (transcript.status !== 'ready' || !transcript.audio_key) return apiError(409, 'NOT_READY', `transcript is ${transcript.status}`);
    const url = await deps.stores.transcripts.presignGet(transcript.audio_key, AUDIO_URL_TTL_SEC);
    return new Response(null, { status: 302, headers: { location: url, 'cache-control': 'no-store' } });
  });

  /** The recording's transcript when the caller may see it: a valid signed link, or (checked by `mount`) a bearer credential with read on its meeting. */
  const transcriptFor = async (input: {
    principal: Principal | undefined;
    params: { id: string };
    query: { expires?: string; signature?: string };
  }): Promise<Response | { id: string; status: string; audio_key: string | null; transcription_status: string }> => {
    const { id } = input.params;
    if (!input.principal) {
      if (!(await verifyInspectorLink(deps.db, deps.linkSigningKey, id, input.query.expires, input.query.signature)))
        return apiError(403, 'FORBIDDEN', 'invalid or expired inspector link');
    } else if (!(await visibleRecording(deps.db, input.principal, id))) return notFound('recording');
    const transcript = await deps.db
      .selectFrom('transcripts')
      .select(['id', 'status', 'audio_key', 'transcription_status'])
      .where('recording_id', '=', id)
      .executeTakeFirst();
    return transcript ?? notFound('recording');
  };
  const stream = async (key: string, contentType: string) => {
    const object = await deps.stores.transcripts.get(key);
    return new Response(Readable.toWeb(object.body) as ReadableStream, {
      headers: { 'content-type': contentType, 'content-length': String(object.sizeBytes), 'cache-control': 'private, no-store' },
    });
  };
  /** The recording's stored timeline as served (served-timeline.ts) once its transcript is ready; else the answer why not. */
  const readyTimeline = async (input: Parameters<typeof transcriptFor>[0]) => {
    const transcript = await transcriptFor(input);
    if (transcript instanceof Response) return transcript;
    if (transcript.status !== 'ready') return apiError(409, 'NOT_READY', `transcript is ${transcript.status}`);
    return { transcriptId: transcript.id, timeline: await servedTimeline(deps.db, deps.stores.transcripts, input.params.id, transcript.id) };
  };
  mount(app, deps, R.recordingTimeline, async (input) => {
    const ready = await readyTimeline(input);
    if (ready instanceof Response) return ready;
    return new Response(JSON.stringify(ready.timeline), { headers: { 'content-type': 'application/json', 'cache-control': 'private, no-store' } });
  });
  // A rendered track's waveform peaks (src/mix/peaks.ts), named in the timeline as `tracks[].peaks`.
  mount(app, deps, R.trackPeaks, async (input) => {
    const ready = await readyTimeline(input);
    if (ready instanceof Response) return ready;
    const track = ready.timeline.tracks.find((t) => t.trackId === input.params.trackId);
    if (!track?.peaks) return notFound('track peaks');
    return stream(`${ready.transcriptId}/${track.peaks}`, 'application/octet-stream');
  });
  mount(app, deps, R.recordingWords, async (input) => {
    const transcript = await transcriptFor(input);
    if (transcript instanceof Response) return transcript;
    if (transcript.transcription_status !== 'ready') return apiError(409, 'NOT_READY', `transcription is ${transcript.transcription_status}`);
    return stream(`${transcript.id}/transcript.json`, 'application/json');
  });
  mount(app, deps, R.recordingAudio, async (input) => {
    const transcript = await transcriptFor(input);
    if (transcript instanceof Response) return transcript;
    if (!transcript.audio_key) return notFound('recording audio');
    return stream(transcript.audio_key, 'audio/mpeg');
  });

  // Presigned URLs of the local store: the signature is the credential. Not `mount`ed: the key is
  // the path's `**` tail, cut and decoded here.
  app.get(R.object.path, async (event) => {
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
    const { expires, signature } = await getValidatedQuery(event, R.object.query);
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
