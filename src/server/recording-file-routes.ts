/**
 * Downloads of a recording's stored files (recording-file-route-specs.ts): streamed from the
 * transcript bucket as attachments, named by what the caller may already read — the recording
 * through its meeting's owner, a render only when the stored timeline lists it.
 */
import { Readable } from 'node:stream';
import type { H3 } from 'h3';
import type { Kysely } from 'kysely';
import type { Authenticator } from '../auth/authenticate.ts';
import { visibleRecording } from '../auth/access.ts';
import type { Database } from '../db/schema.ts';
import type { Stores } from '../storage/open-stores.ts';
import { readObjectText } from '../storage/read-text.ts';
import type { Timeline } from '../timeline/types.ts';
import { apiError, notFound } from './errors.ts';
import { FILE_TYPES, RECORDING_FILE_ROUTES as R } from './recording-file-route-specs.ts';
import { mount } from './route.ts';

const TRANSCRIPT_FILES = new Set(['transcript.json', 'transcript.vtt', 'transcript.srt', 'transcript.txt']);

export const registerRecordingFileRoutes = (app: H3, deps: { db: Kysely<Database>; stores: Stores; auth: Authenticator; maxBodyBytes: number }) => {
  mount(app, deps, R.recordingFile, async ({ principal, params }) => {
    if (!(await visibleRecording(deps.db, principal, params.id))) return notFound('recording');
    const transcript = await deps.db
      .selectFrom('transcripts')
      .select(['id', 'status', 'audio_key', 'transcription_status'])
      .where('recording_id', '=', params.id)
      .executeTakeFirst();
    if (transcript?.status !== 'ready') return apiError(409, 'NOT_READY', `the recording's outputs are ${transcript?.status ?? 'not made yet'}`);
    const { name } = params;
    let key: string | undefined;
    if (name === 'mixdown.mp3') key = transcript.audio_key ?? undefined;
    else if (name === 'timeline.json') key = `${transcript.id}/timeline.json`;
    else if (TRANSCRIPT_FILES.has(name)) {
      if (transcript.transcription_status !== 'ready') return apiError(409, 'NOT_READY', `transcription is ${transcript.transcription_status}`);
      key = `${transcript.id}/${name}`;
    } else {
      // A render: only what the stored timeline names as an output.
      const timeline = JSON.parse(await readObjectText(deps.stores.transcripts, `${transcript.id}/timeline.json`)) as Timeline;
      const output = timeline.tracks.find((t) => t.output === `tracks/${name}`)?.output;
      if (output) key = `${transcript.id}/${output}`;
    }
    if (!key) return notFound('recording file');
    const object = await deps.stores.transcripts.get(key);
    return new Response(Readable.toWeb(object.body) as ReadableStream, {
      headers: {
        'content-type': FILE_TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream',
        'content-length': String(object.sizeBytes),
        // RFC 6266: an ASCII fallback, and the exact name in UTF-8 (filename*, RFC 8187).
        'content-disposition': `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
        'cache-control': 'private, no-store',
      },
    });
  });
};
