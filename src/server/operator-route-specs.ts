/**
 * API keys and the operator's actions on recordings and transcripts, as data: api-key-routes.ts
 * and recording-action-routes.ts mount them, openapi.ts describes them.
 */
import { z } from 'zod';
import { ApiKey, CreatedApiKey, RecordingListItem } from './api-schemas.ts';
import { AUTH_ERRORS, BAD_REQUEST, BODY_ERRORS, notFoundAnswer } from './meeting-route-specs.ts';
import { CreateKey, IdParams, ListRecordingsQuery } from './request-schemas.ts';
import { errorAnswer, type RouteSpec } from './route.ts';

const jobId = z.number().int().describe('the queued job');

export const OPERATOR_ROUTES = {
  listApiKeys: {
    method: 'get',
    path: '/v1/api-keys',
    summary: 'API keys (never their tokens)',
    access: 'admin',
    tags: ['api keys'],
    responses: { 200: { description: 'keys', schema: z.object({ apiKeys: z.array(ApiKey) }) }, ...AUTH_ERRORS },
  },
  createApiKey: {
    method: 'post',
    path: '/v1/api-keys',
    summary: 'Create an API key; the token is in this answer only',
    access: 'admin',
    tags: ['api keys'],
    body: CreateKey,
    responses: { 201: { description: 'the key with its token', schema: z.object({ apiKey: CreatedApiKey }) }, ...BODY_ERRORS, ...AUTH_ERRORS },
  },
  revokeApiKey: {
    method: 'delete',
    path: '/v1/api-keys/:id',
    summary: 'Revoke an API key at once',
    access: 'admin',
    tags: ['api keys'],
    params: IdParams,
    notFound: 'api key',
    responses: { 200: { description: 'revoked', schema: z.object({ revoked: z.uuid() }) }, ...AUTH_ERRORS, ...notFoundAnswer('api key') },
  },
  listRecordings: {
    method: 'get',
    path: '/v1/recordings',
    summary: 'Recordings by state, last changed (or newest) first, paged (the caller’s; admins: all)',
    access: 'read',
    tags: ['recordings'],
    query: ListRecordingsQuery,
    responses: {
      200: {
        description: 'recordings',
        schema: z.object({
          recordings: z.array(RecordingListItem),
          nextOffset: z.number().int().nullable().describe('the next page’s offset; null on the last'),
        }),
      },
      ...BAD_REQUEST,
      ...AUTH_ERRORS,
    },
  },
  reprocessRecording: {
    method: 'post',
    path: '/v1/recordings/:id/reprocess',
    summary: 'Queue a failed or partial recording again from its raw objects',
    access: 'write',
    tags: ['recordings'],
    params: IdParams,
    notFound: 'recording',
    responses: {
      202: { description: 'queued', schema: z.object({ recordingId: z.uuid(), jobId, status: z.literal('pending') }) },
      ...AUTH_ERRORS,
      ...notFoundAnswer('recording'),
      409: errorAnswer('a job of the recording is queued or running (RECORDING_BUSY), its raw objects are gone (RECORDING_RAW_GONE), or nothing to do'),
    },
  },
  transcribe: {
    method: 'post',
    path: '/v1/transcripts/:id/transcribe',
    summary: 'Transcribe a transcript’s stored audio again (nothing is reprocessed)',
    access: 'write',
    tags: ['transcripts'],
    params: IdParams,
    notFound: 'transcript',
    responses: {
      202: {
        description: 'queued',
        schema: z.object({ transcriptId: z.uuid(), jobId, transcription: z.object({ status: z.literal('pending') }) }),
      },
      ...AUTH_ERRORS,
      ...notFoundAnswer('transcript'),
      409: errorAnswer('the audio is not ready (NOT_READY) or a transcription is already queued or running (RECORDING_BUSY)'),
      503: errorAnswer('no transcriber is configured (TRANSCRIPTION_UNAVAILABLE)'),
    },
  },
  deleteTranscript: {
    method: 'delete',
    path: '/v1/transcripts/:id',
    summary: 'Delete a transcript with its objects (the recording stays as a tombstone)',
    access: 'write',
    tags: ['transcripts'],
    params: IdParams,
    notFound: 'transcript',
    responses: {
      200: {
        description: 'deleted',
        schema: z.object({
          deleted: z.object({
            transcriptId: z.uuid(),
            objects: z.number().int().describe('output objects deleted'),
            rawObjects: z.number().int().describe('raw recording objects deleted'),
          }),
        }),
      },
      ...AUTH_ERRORS,
      ...notFoundAnswer('transcript'),
      409: errorAnswer('a job of the recording is queued or running (RECORDING_BUSY)'),
    },
  },
  deleteRecording: {
    method: 'delete',
    path: '/v1/recordings/:id',
    summary: 'Delete a recording: its outputs, transcripts and raw objects go; a tombstone keeps it from coming back',
    access: 'write',
    tags: ['recordings'],
    params: IdParams,
    notFound: 'recording',
    responses: {
      200: {
        description: 'deleted',
        schema: z.object({
          deleted: z.object({
            recordingId: z.uuid(),
            transcriptIds: z.array(z.uuid()),
            objects: z.number().int().describe('output objects deleted'),
            rawObjects: z.number().int().describe('raw recording objects deleted'),
          }),
        }),
      },
      ...AUTH_ERRORS,
      ...notFoundAnswer('recording'),
      409: errorAnswer('a job of the recording is queued or running (RECORDING_BUSY)'),
    },
  },
} as const satisfies Record<string, RouteSpec>;
