/**
 * The media routes (audio, timeline, a track's peaks and render, words, presigned objects), as data: media-routes.ts mounts
 * them, openapi.ts describes them. Their 200 answers are files, not API objects; the stored files answer byte ranges.
 */
import { z } from 'zod';
import { AUTH_ERRORS, notFoundAnswer } from './meeting-route-specs.ts';
import { IdParams, SignedLinkQuery } from './request-schemas.ts';
import { errorAnswer, type RouteSpec } from './route.ts';

const LINK = { public: 'read scope on the meeting (bearer), or the inspector’s signed link (expires, signature)', scope: 'read' } as const;
const NOT_READY = { 409: errorAnswer('not processed yet (NOT_READY)') };
const file = (description: string, contentType: string | readonly string[]) => ({ description, contentType });
const ACCEPT_RANGES = { 'accept-ranges': '`bytes`: byte-range requests are answered' } as const;
/** A file answer that honours `Range` (file-answer.ts): whole (200), the range asked for (206), or 416 past its end. */
const rangedFile = (description: string, contentType: string | readonly string[]) => ({
  200: { ...file(description, contentType), headers: ACCEPT_RANGES },
  206: {
    ...file(`the bytes the Range header asked for, of ${description}`, contentType),
    headers: { ...ACCEPT_RANGES, 'content-range': '`bytes first-last/size`' },
  },
  416: { ...errorAnswer('the range starts past the end of the file (RANGE_NOT_SATISFIABLE)'), headers: { 'content-range': '`bytes */size`' } },
});

export const MEDIA_ROUTES = {
  transcriptAudio: {
    method: 'get',
    path: '/v1/transcripts/:id/audio',
    summary: 'The transcript’s mixdown: a redirect to a presigned URL (1 hour)',
    access: 'read',
    tags: ['transcripts'],
    params: IdParams,
    notFound: 'transcript',
    responses: { 302: { description: 'Location: the presigned URL of the MP3' }, ...AUTH_ERRORS, ...notFoundAnswer('transcript'), ...NOT_READY },
  },
  recordingTimeline: {
    method: 'get',
    path: '/v1/recordings/:id/timeline',
    summary: 'The recording’s timeline.json (for the inspector)',
    access: LINK,
    tags: ['recordings'],
    params: IdParams,
    query: SignedLinkQuery,
    notFound: 'recording',
    responses: {
      200: { ...file('timeline.json', 'application/json'), schema: z.looseObject({}).describe('the timeline (pipeline output)') },
      ...AUTH_ERRORS,
      ...notFoundAnswer('recording'),
      ...NOT_READY,
    },
  },
  trackPeaks: {
    method: 'get',
    path: '/v1/recordings/:id/tracks/:trackId/peaks',
    summary: 'A rendered track’s waveform peaks: BBC audiowaveform binary format, version 2, 8-bit, 100 points a second (for the inspector)',
    access: LINK,
    tags: ['recordings'],
    params: z.object({ id: z.uuid(), trackId: z.uuid().describe('the track’s id (`tracks[].trackId` of the timeline)') }),
    query: SignedLinkQuery.extend({
      points: z.coerce
        .number()
        .int()
        .min(1)
        .max(100_000_000)
        .optional()
        .describe(
          'at most this many points: each the min and max of as many of the file’s points as it takes (the header says how many samples per point); byte ranges are for the whole file only',
        ),
    }),
    notFound: 'track peaks',
    byteRanges: true,
    responses: {
      ...rangedFile('the peaks file (tracks/<render name>.peaks.dat)', 'application/octet-stream'),
      ...AUTH_ERRORS,
      ...notFoundAnswer('recording, track or its peaks'),
      ...NOT_READY,
    },
  },
  trackAudio: {
    method: 'get',
    path: '/v1/recordings/:id/tracks/:trackId/audio',
    summary: 'A rendered track (`tracks[].output`: meeting time 0 → the track’s end), streamed, byte ranges answered (for the inspector’s solo)',
    access: LINK,
    tags: ['recordings'],
    params: z.object({ id: z.uuid(), trackId: z.uuid().describe('the track’s id (`tracks[].trackId` of the timeline)') }),
    query: SignedLinkQuery,
    notFound: 'track audio',
    byteRanges: true,
    responses: {
      ...rangedFile('the render (Opus in WebM, or WAV or FLAC with TRACK_FORMAT)', ['audio/webm', 'audio/wav', 'audio/flac']),
      ...AUTH_ERRORS,
      ...notFoundAnswer('recording, track or its render'),
      ...NOT_READY,
    },
  },
  recordingWords: {
    method: 'get',
    path: '/v1/recordings/:id/transcript',
    summary: 'The recording’s words, transcript.json (for the inspector)',
    access: LINK,
    tags: ['recordings'],
    params: IdParams,
    query: SignedLinkQuery,
    notFound: 'recording',
    byteRanges: true,
    responses: {
      ...rangedFile('transcript.json', 'application/json'),
      200: {
        ...file('transcript.json', 'application/json'),
        headers: ACCEPT_RANGES,
        schema: z.looseObject({}).describe('language, durationMs, words, segments'),
      },
      ...AUTH_ERRORS,
      ...notFoundAnswer('recording'),
      409: errorAnswer('the transcription is not ready (NOT_READY)'),
    },
  },
  recordingAudio: {
    method: 'get',
    path: '/v1/recordings/:id/audio',
    summary: 'The recording’s mixdown MP3, streamed, byte ranges answered (for the inspector)',
    access: LINK,
    tags: ['recordings'],
    params: IdParams,
    query: SignedLinkQuery,
    notFound: 'recording',
    byteRanges: true,
    responses: { ...rangedFile('the mixdown', 'audio/mpeg'), ...AUTH_ERRORS, ...notFoundAnswer('recording or its audio') },
  },
  object: {
    method: 'get',
    path: '/v1/objects/:bucket/**',
    openapiPath: '/v1/objects/{bucket}/{key}',
    summary: 'An object of the local store, by presigned URL (the store of STORAGE=local)',
    access: { public: 'a presigned URL: expires and signature in the query' },
    security: 'presignedUrl',
    tags: ['objects'],
    params: z.object({ bucket: z.string(), key: z.string().describe('the object key; its / are path separators') }),
    query: z.object({ expires: z.string().optional(), signature: z.string().optional() }),
    byteRanges: true,
    responses: {
      ...rangedFile('the object', ['audio/mpeg', 'application/json', 'application/octet-stream']),
      400: errorAnswer('malformed object path (BAD_REQUEST)'),
      403: errorAnswer('invalid or expired object URL (FORBIDDEN)'),
      404: errorAnswer('no such object, or no local store (NOT_FOUND)'),
    },
  },
} as const satisfies Record<string, RouteSpec>;
