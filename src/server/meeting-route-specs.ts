/**
 * The meeting, recording and transcript read routes and meeting creation, as data: api-routes.ts
 * mounts them, openapi.ts describes them.
 */
import { z } from 'zod';
import { Meeting, MeetingRecording, Participant, Recording, RecordingTranscript, Segment, Track, Transcript, Transcription } from './api-schemas.ts';
import { AssignOwner, CreateMeeting, IdParams, ListMeetingsQuery } from './request-schemas.ts';
import { errorAnswer, type RouteSpec } from './route.ts';

/** The errors every guarded route may answer. */
export const AUTH_ERRORS = {
  401: errorAnswer('no valid credential (UNAUTHORIZED; WWW-Authenticate: Bearer)'),
  403: errorAnswer('the credential’s scope is too small (FORBIDDEN)'),
};
export const BAD_REQUEST = { 400: errorAnswer('invalid query or body (BAD_REQUEST, naming the field)') };
export const BODY_ERRORS = { ...BAD_REQUEST, 413: errorAnswer('body larger than MAX_BODY_BYTES (PAYLOAD_TOO_LARGE)') };
export const notFoundAnswer = (what: string) => ({ 404: errorAnswer(`no such ${what}, or not the caller’s (NOT_FOUND)`) });

export const MEETING_ROUTES = {
  createMeeting: {
    method: 'post',
    path: '/v1/meetings',
    summary: 'Create a meeting on Daily (raw-tracks recording) or Whereby (cloud recording as MP4), both into our buckets',
    access: 'write',
    tags: ['meetings'],
    body: CreateMeeting,
    responses: {
      201: {
        description: 'created on the platform and stored',
        schema: z.object({ meeting: Meeting, hostRoomUrl: z.string().nullable().describe('Whereby’s host link; null for Daily') }),
      },
      ...BODY_ERRORS,
      ...AUTH_ERRORS,
      502: errorAnswer('the platform refused or failed (PLATFORM_API_FAILED); nothing stored'),
      503: errorAnswer('the platform is not configured (NOT_CONFIGURED)'),
    },
  },
  listMeetings: {
    method: 'get',
    path: '/v1/meetings',
    summary: 'The caller’s meetings, newest first (admins: all)',
    access: 'read',
    tags: ['meetings'],
    query: ListMeetingsQuery,
    responses: { 200: { description: 'meetings', schema: z.object({ meetings: z.array(Meeting) }) }, ...BAD_REQUEST, ...AUTH_ERRORS },
  },
  getMeeting: {
    method: 'get',
    path: '/v1/meetings/:id',
    summary: 'A meeting with its participants and recordings',
    access: 'read',
    tags: ['meetings'],
    params: IdParams,
    notFound: 'meeting',
    responses: {
      200: {
        description: 'the meeting',
        schema: z.object({ meeting: Meeting, participants: z.array(Participant), recordings: z.array(MeetingRecording) }),
      },
      ...AUTH_ERRORS,
      ...notFoundAnswer('meeting'),
    },
  },
  assignMeeting: {
    method: 'patch',
    path: '/v1/meetings/:id',
    summary: 'Assign a meeting (and so its recordings) to an owner, or take it back',
    access: 'admin',
    tags: ['meetings'],
    params: IdParams,
    notFound: 'meeting',
    body: AssignOwner,
    responses: { 200: { description: 'the meeting', schema: z.object({ meeting: Meeting }) }, ...BODY_ERRORS, ...AUTH_ERRORS, ...notFoundAnswer('meeting') },
  },
  getRecording: {
    method: 'get',
    path: '/v1/recordings/:id',
    summary: 'A recording with its tracks, its transcript’s state and a signed inspector link',
    access: 'read',
    tags: ['recordings'],
    params: IdParams,
    notFound: 'recording',
    responses: {
      200: {
        description: 'the recording',
        schema: z.object({
          recording: Recording,
          tracks: z.array(Track),
          transcript: RecordingTranscript.nullable(),
          inspectorUrl: z.string().describe('/debugger/?recording=…&expires=…&signature=… (a short-lived link, no bearer token needed)'),
        }),
      },
      ...AUTH_ERRORS,
      ...notFoundAnswer('recording'),
    },
  },
  getTranscript: {
    method: 'get',
    path: '/v1/transcripts/:id',
    summary: 'A transcript: its audio’s state, the words’ state and the speaker segments',
    access: 'read',
    tags: ['transcripts'],
    params: IdParams,
    notFound: 'transcript',
    responses: {
      200: { description: 'the transcript', schema: z.object({ transcript: Transcript, transcription: Transcription, segments: z.array(Segment) }) },
      ...AUTH_ERRORS,
      ...notFoundAnswer('transcript'),
    },
  },
} as const satisfies Record<string, RouteSpec>;
