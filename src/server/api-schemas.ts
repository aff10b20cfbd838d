/**
 * What the API answers, one zod schema per object, named for the OpenAPI document
 * (openapi.ts lifts each `id` into components/schemas). Routes parse their answers with these
 * schemas, so a database column nobody named here never leaves the service.
 */
import { z } from 'zod';
import { SCOPES } from '../auth/principal.ts';

const timestamp = z.iso.datetime().describe('ISO 8601, UTC');
const int = z.number().int();

export const ErrorBody = z
  .object({ error: z.object({ code: z.string().describe('stable code, e.g. NOT_FOUND, BAD_REQUEST, RECORDING_BUSY'), message: z.string() }) })
  .meta({ id: 'Error', description: 'Every error answer, API and webhooks alike.' });

export const PLATFORMS = ['daily', 'whereby'] as const;
/** `deleted`: a tombstone (admins list them with ?status=deleted). */
export const RECORDING_STATUSES = ['pending', 'processing', 'cleanup', 'processed', 'failed', 'deleted'] as const;
const TRANSCRIPT_STATUSES = ['pending', 'processing', 'ready', 'failed'] as const;
const TRANSCRIPTION_STATUSES = ['none', 'pending', 'running', 'ready', 'failed'] as const;

export const Meeting = z
  .object({
    id: z.uuid(),
    platform: z.enum(PLATFORMS),
    roomName: z.string(),
    platformMeetingId: z.string().nullable(),
    platformSessionId: z.string().nullable(),
    roomUrl: z.string().nullable(),
    startAt: timestamp.nullable(),
    endAt: timestamp.nullable(),
    origin: z.enum(['api', 'discovered']),
    owner: z.string().nullable().describe('key:<api key id>, user:<subject>, or null (admins only)'),
    createdAt: timestamp,
  })
  .meta({ id: 'Meeting' });

export const Participant = z
  .object({
    id: z.uuid(),
    meetingId: z.uuid(),
    platformParticipantId: z.string(),
    platformSessionId: z.string().nullable(),
    displayName: z.string().nullable(),
    joinedAt: timestamp.nullable(),
    leftAt: timestamp.nullable(),
  })
  .meta({ id: 'Participant' });

export const MeetingRecording = z
  .object({
    id: z.uuid(),
    platformRecordingId: z.string(),
    status: z.enum(RECORDING_STATUSES),
    startAt: timestamp.nullable(),
    durationMs: int.nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: 'MeetingRecording' });

export const Recording = z
  .object({
    id: z.uuid(),
    meetingId: z.uuid().nullable(),
    platform: z.enum(PLATFORMS),
    platformRecordingId: z.string(),
    bucket: z.string().nullable().describe('null once deleted'),
    objectKeys: z.array(z.string()),
    status: z.enum(RECORDING_STATUSES),
    startAt: timestamp.nullable(),
    durationMs: int.nullable(),
    error: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    rawDeletedAt: timestamp.nullable(),
  })
  .meta({ id: 'Recording' });

export const RecordingListItem = z
  .object({
    id: z.uuid(),
    platform: z.enum(PLATFORMS),
    platformRecordingId: z.string(),
    status: z.enum(RECORDING_STATUSES),
    error: z.string().nullable(),
    meetingId: z.uuid().nullable(),
    roomName: z.string().nullable(),
    startAt: timestamp.nullable(),
    updatedAt: timestamp,
    createdAt: timestamp,
    durationMs: int.nullable().describe('the meeting’s length as processed (else as the platform said)'),
    tracks: int.describe('its tracks once processed; before that, the raw objects it was announced with'),
    transcriptId: z.uuid().nullable(),
    transcriptionStatus: z.enum(TRANSCRIPTION_STATUSES).nullable().describe('the words’ state; null without a transcript'),
    transcriptionError: z.string().nullable(),
  })
  .meta({ id: 'RecordingListItem' });

export const Track = z
  .object({
    id: z.uuid(),
    recordingId: z.uuid(),
    participantId: z.string().nullable(),
    objectKey: z.string(),
    kind: z.literal('audio'),
    screenShare: z.boolean(),
    offsetMs: int.nullable(),
    filenameOffsetMs: int.nullable(),
    displayName: z.string().nullable(),
    endMs: int.nullable(),
    durationMs: int.nullable(),
    gaps: z.array(z.object({ startMs: z.number(), endMs: z.number() })),
    status: z.enum(['pending', 'rendered', 'failed', 'skipped']),
    error: z.string().nullable(),
    createdAt: timestamp,
    speaker: z.string().nullable().describe('the participant name, or "Speaker N" by first appearance'),
  })
  .meta({ id: 'Track' });

export const RecordingTranscript = z
  .object({
    id: z.uuid(),
    status: z.enum(TRANSCRIPT_STATUSES),
    audioKey: z.string().nullable(),
    durationMs: int.nullable(),
    transcriptionStatus: z.enum(TRANSCRIPTION_STATUSES),
    transcriptionError: z.string().nullable(),
  })
  .meta({ id: 'RecordingTranscript' });

export const Transcript = z
  .object({
    id: z.uuid(),
    recordingId: z.uuid().nullable(),
    meetingId: z.uuid().nullable(),
    audioKey: z.string().nullable(),
    durationMs: int.nullable(),
    status: z.enum(TRANSCRIPT_STATUSES),
    statusChangedAt: timestamp,
    error: z.string().nullable(),
    createdAt: timestamp,
    transcriptionChangedAt: timestamp.nullable(),
  })
  .meta({ id: 'Transcript' });

export const Transcription = z
  .object({ status: z.enum(TRANSCRIPTION_STATUSES), error: z.string().nullable(), language: z.string().nullable(), wordCount: int.nullable() })
  .meta({ id: 'Transcription' });

export const Segment = z
  .object({ speaker: z.string(), participantId: z.string().nullable(), startMs: z.number(), endMs: z.number(), text: z.string() })
  .meta({ id: 'Segment' });

export const ApiKey = z
  .object({
    id: z.uuid(),
    name: z.string(),
    scope: z.enum(SCOPES as [string, ...string[]]),
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
  })
  .meta({ id: 'ApiKey' });

export const CreatedApiKey = ApiKey.extend({ token: z.string().describe('shown once; only its SHA-256 is kept') }).meta({ id: 'CreatedApiKey' });
