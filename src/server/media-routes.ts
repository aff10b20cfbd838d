/**
 * Media: a transcript's audio (a redirect to a presigned URL of the transcript bucket), a
 * recording's stored timeline (with speakers, served-timeline.ts), its tracks' waveform peaks and
 * renders, mixdown and words (transcript.json) for the inspector, and the local store's presigned
 * object route. Files answer byte ranges (file-answer.ts). The first need a bearer credential that may see the recording; the inspector
 * routes also take the recording's signed link (auth/signed-links.ts); object URLs carry their
 * own signature.
 */
import { getRouterParam, getValidatedQuery, type H3, type H3Event } from 'h3';
import type { Kysely } from 'kysely';
import type { Authenticator } from '../auth/authenticate.ts';
import type { Principal } from '../auth/principal.ts';
import { visibleRecording, visibleTranscript } from '../auth/access.ts';
import { verifyInspectorLink } from '../auth/signed-links.ts';
import type { Database } from '../db/schema.ts';
import { verifyPresignedGet } from '../storage/local-store.ts';
import type { Stores } from '../storage/open-stores.ts';
import { apiError, notFound } from './errors.ts';
import { fileAnswer } from './file-answer.ts';
import { reducePeaks } from './reduced-peaks.ts';
import { readObjectBytes } from '../storage/read-text.ts';
import { MEDIA_ROUTES as R } from './media-route-specs.ts';
import { mount } from './route.ts';
import { servedTimeline, storedTrack } from './served-timeline.ts';

const AUDIO_URL_TTL_SEC = 3600;

/** A render's media type by its extension (`TRACK_FORMAT`: opus in WebM, wav, flac). */
const renderContentType = (output: string) => (output.endsWith('.wav') ? 'audio/wav' : output.endsWith('.flac') ? 'audio/flac' : 'audio/webm');

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
  // Whole, or the byte range the request asks for (file-answer.ts): a player starts on the first bytes.
  const stream = (key: string, contentType: string, event: H3Event) =>
    fileAnswer(deps.stores.transcripts, key, contentType, event.req.headers.get('range'), { 'cache-control': 'private, no-store' });
  /** The recording's transcript once it is ready (the timeline and its tracks are stored); else the answer why not. */
  const readyTranscript = async (input: Parameters<typeof transcriptFor>[0]) => {
    const transcript = await transcriptFor(input);
    if (transcript instanceof Response) return transcript;
    if (transcript.status !== 'ready') return apiError(409, 'NOT_READY', `transcript is ${transcript.status}`);
    return transcript;
  };
  mount(app, deps, R.recordingTimeline, async (input) => {
    const transcript = await readyTranscript(input);
    if (transcript instanceof Response) return transcript;
    const timeline = await servedTimeline(deps.db, deps.stores.transcripts, input.params.id, transcript.id);
    return new Response(JSON.stringify(timeline), { headers: { 'content-type': 'application/json', 'cache-control': 'private, no-store' } });
  });
  /** The stored track `trackId` names (its row's id, `tracks[].trackId`) and its transcript's id. */
  const trackFor = async (input: Parameters<typeof transcriptFor>[0] & { params: { trackId: string } }) => {
    const transcript = await readyTranscript(input);
    if (transcript instanceof Response) return transcript;
    return { transcriptId: transcript.id, track: await storedTrack(deps.db, deps.stores.transcripts, input.params.id, transcript.id, input.params.trackId) };
  };
  // A rendered track's waveform peaks (src/mix/peaks.ts), named in the timeline as `tracks[].peaks`;
  // `?points=`: reduced for a view of the whole track (reduced-peaks.ts).
  mount(app, deps, R.trackPeaks, async (input) => {
    const found = await trackFor(input);
    if (found instanceof Response) return found;
    if (!found.track?.peaks) return notFound('track peaks');
    if (input.query.points) {
      const reduced = reducePeaks(await readObjectBytes(deps.stores.transcripts, `${found.transcriptId}/${found.track.peaks}`), input.query.points);
      return new Response(reduced, { headers: { 'content-type': 'application/octet-stream', 'cache-control': 'private, no-store' } });
    }
    return stream(`${found.transcriptId}/${found.track.peaks}`, 'application/octet-stream', input.event);
  });
  // A rendered track itself (`tracks[].output`: meeting time 0 → its end), for the inspector's solo.
  mount(app, deps, R.trackAudio, async (input) => {
    const found = await trackFor(input);
    if (found instanceof Response) return found;
    if (!found.track?.output) return notFound('track audio');
    return stream(`${found.transcriptId}/${found.track.output}`, renderContentType(found.track.output), input.event);
  });
  mount(app, deps, R.recordingWords, async (input) => {
    const transcript = await transcriptFor(input);
    if (transcript instanceof Response) return transcript;
    if (transcript.transcription_status !== 'ready') return apiError(409, 'NOT_READY', `transcription is ${transcript.transcription_status}`);
    return stream(`${transcript.id}/transcript.json`, 'application/json', input.event);
  });
  mount(app, deps, R.recordingAudio, async (input) => {
    const transcript = await transcriptFor(input);
    if (transcript instanceof Response) return transcript;
    if (!transcript.audio_key) return notFound('recording audio');
    return stream(transcript.audio_key, 'audio/mpeg', input.event);
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
    const contentType = key.endsWith('.mp3') ? 'audio/mpeg' : key.endsWith('.json') ? 'application/json' : 'application/octet-stream';
    return fileAnswer(store, key, contentType, event.req.headers.get('range'));
  });
};
