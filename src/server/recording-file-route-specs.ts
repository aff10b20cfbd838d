/**
 * A processed recording's stored files as downloads (issue 30, the operator view): the
 * mixdown, the timeline, each rendered track and the transcript in its four forms, under the
 * recording's read guard. recording-file-routes.ts mounts it, openapi.ts describes it.
 */
import { z } from 'zod';
import { AUTH_ERRORS, notFoundAnswer } from './meeting-route-specs.ts';
import { errorAnswer, type RouteSpec } from './route.ts';

/** A file's name and its media type; a render's is by its extension (`TRACK_FORMAT`). */
export const FILE_TYPES: Record<string, string> = {
  mp3: 'audio/mpeg',
  json: 'application/json',
  vtt: 'text/vtt',
  srt: 'application/x-subrip',
  txt: 'text/plain',
  webm: 'audio/webm',
  wav: 'audio/wav',
  flac: 'audio/flac',
};

export const RECORDING_FILE_ROUTES = {
  recordingFile: {
    method: 'get',
    path: '/v1/recordings/:id/files/:name',
    summary:
      'Download one of a processed recording’s files (Content-Disposition: attachment): mixdown.mp3, timeline.json, transcript.json|vtt|srt|txt, or a rendered track by its file name (`tracks[].output` of the timeline, without `tracks/`)',
    access: 'read',
    tags: ['recordings'],
    params: z.object({
      id: z.uuid(),
      name: z
        .string()
        // Renders are named after their inputs (Whereby keys hold `:`; uploads spaces and letters of any
        // script): any name without a path separator or control character. What is served is decided by
        // an exact match with the stored timeline's outputs (recording-file-routes.ts), not by this pattern.
        // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
        .regex(/^[^/\\\u0000-\u001f\u007f]{1,255}$/)
        .describe('mixdown.mp3, timeline.json, transcript.json, transcript.vtt, transcript.srt, transcript.txt, or a render’s file name'),
    }),
    notFound: 'recording file',
    responses: {
      200: { description: 'the file', contentType: [...new Set(Object.values(FILE_TYPES)), 'application/octet-stream'] },
      ...AUTH_ERRORS,
      ...notFoundAnswer('recording, or no such file of it'),
      409: errorAnswer('not processed yet, or the transcript not made yet (NOT_READY)'),
    },
  },
} as const satisfies Record<string, RouteSpec>;
