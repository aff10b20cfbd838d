/**
 * The database as Kysely sees it. Column types match what both backends return after
 * `connect.ts` normalises them: int8 → number, timestamptz → Date, jsonb → parsed JSON.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type Platform = 'daily' | 'whereby';
/** `deleted`: a tombstone (ids, platform ids, timestamps): what was deleted is never announced back in (migration 0005). */
export type RecordingStatus = 'pending' | 'processing' | 'cleanup' | 'processed' | 'failed' | 'deleted';
export type TrackStatus = 'pending' | 'rendered' | 'failed' | 'skipped';
export type TranscriptStatus = 'pending' | 'processing' | 'ready' | 'failed';
/** The words' own state beside the audio's (`none`: no transcriber configured when the audio was made). */
export type TranscriptionStatus = 'none' | 'pending' | 'running' | 'ready' | 'failed';
export type WebhookStatus = 'received' | 'processed' | 'ignored' | 'invalid';
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export type MeetingsTable = {
  id: Generated<string>;
  platform: Platform;
  room_name: string;
  platform_meeting_id: string | null;
  platform_session_id: string | null;
  room_url: string | null;
  start_at: Timestamp | null;
  end_at: Timestamp | null;
  /** `api`: we created it; `discovered`: first seen in a webhook or a recording. */
  origin: 'api' | 'discovered';
  /** `key:<api key id>` or `user:<OIDC subject>`; null = admins only (discovered, unassigned). */
  owner: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
};

export type RecordingsTable = {
  id: Generated<string>;
  meeting_id: string | null;
  platform: Platform;
  platform_recording_id: string;
  /** Null on a tombstone. */
  bucket: string | null;
  object_keys: Json<string[]>;
  status: ColumnType<RecordingStatus, RecordingStatus | undefined, RecordingStatus>;
  start_at: Timestamp | null;
  duration_ms: number | null;
  error: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  raw_deleted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The raw objects the processing job deletes once its outputs are committed (null when none are left). */
  raw_pending: ColumnType<string[] | null, string | null | undefined, string | null>;
  deleted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** What object storage still holds of a deleted recording (null once removed). */
  purge_pending: ColumnType<PurgePending | null, string | null | undefined, string | null>;
};

/** A deleted recording's objects still to remove: its transcripts' folders and its raw objects. */
export type PurgePending = { transcriptIds: string[]; rawKeys: string[] };

export type TracksTable = {
  id: Generated<string>;
  recording_id: string;
  participant_id: string | null;
  object_key: string;
  kind: ColumnType<'audio', 'audio' | undefined, 'audio'>;
  screen_share: ColumnType<boolean, boolean | undefined, boolean>;
  offset_ms: number | null;
  filename_offset_ms: number | null;
  /** The participant's name from Daily's event JSON (`track-added`), when it came with the recording. */
  display_name: ColumnType<string | null, string | null | undefined, string | null>;
  /** The track's end in meeting time. */
  end_ms: ColumnType<number | null, number | null | undefined, number | null>;
  /** The track's length (end − offset). */
  duration_ms: number | null;
  gaps: Json<Array<{ startMs: number; endMs: number }>>;
  status: ColumnType<TrackStatus, TrackStatus | undefined, TrackStatus>;
  /** Why a track was skipped or failed (`CODE: message`). */
  error: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
};

export type ParticipantsTable = {
  id: Generated<string>;
  meeting_id: string;
  platform_participant_id: string;
  platform_session_id: string | null;
  display_name: string | null;
  joined_at: Timestamp | null;
  left_at: Timestamp | null;
};

export type TranscriptsTable = {
  id: Generated<string>;
  recording_id: string | null;
  meeting_id: string | null;
  audio_key: string | null;
  duration_ms: number | null;
  status: ColumnType<TranscriptStatus, TranscriptStatus | undefined, TranscriptStatus>;
  status_changed_at: ColumnType<Date, Date | string | undefined, Date | string>;
  error: string | null;
  created_at: CreatedAt;
  transcription_status: ColumnType<TranscriptionStatus, TranscriptionStatus | undefined, TranscriptionStatus>;
  transcription_error: string | null;
  transcription_changed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  language: string | null;
  /** `[{ speaker, participantId, startMs, endMs, text }]` (jsonb). */
  segments: ColumnType<unknown, string | null | undefined, string | null>;
  word_count: number | null;
};

export type WebhookEventsTable = {
  id: Generated<string>;
  platform: Platform;
  event_id: string;
  type: string;
  received_at: CreatedAt;
  payload: Json<unknown>;
  status: ColumnType<WebhookStatus, WebhookStatus | undefined, WebhookStatus>;
  error: string | null;
  /** sha256 (hex) of the delivered body. */
  body_sha256: ColumnType<string | null, string | null | undefined, string | null>;
  /** The exact bytes, kept when the stored payload had to be sanitized. */
  raw_body: ColumnType<Uint8Array | null, Uint8Array | null | undefined, Uint8Array | null>;
};

export type ApiScope = 'read' | 'write' | 'admin';

export type ApiKeysTable = {
  id: Generated<string>;
  name: string;
  scope: ApiScope;
  token_sha256: string;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
};

/** An operator-view browser session: an API key exchanged for a cookie (migration 0007). */
export type SessionsTable = {
  id: Generated<string>;
  token_sha256: string;
  api_key_id: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
};

export type JobsTable = {
  id: Generated<number>;
  kind: string;
  idempotency_key: string | null;
  /** The recording a processing job stands for (migration 0006); null for other jobs. */
  recording_id: ColumnType<string | null, string | null | undefined, string | null>;
  payload: Json<unknown>;
  status: ColumnType<JobStatus, JobStatus | undefined, JobStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: number;
  run_at: ColumnType<Date, Date | string | undefined, Date | string>;
  locked_by: string | null;
  locked_until: Timestamp | null;
  last_error: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  finished_at: Timestamp | null;
};

export type Database = {
  meetings: MeetingsTable;
  recordings: RecordingsTable;
  tracks: TracksTable;
  participants: ParticipantsTable;
  transcripts: TranscriptsTable;
  webhook_events: WebhookEventsTable;
  jobs: JobsTable;
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
};

export type Meeting = Selectable<MeetingsTable>;
export type NewMeeting = Insertable<MeetingsTable>;
export type Recording = Selectable<RecordingsTable>;
export type NewRecording = Insertable<RecordingsTable>;
export type RecordingUpdate = Updateable<RecordingsTable>;
export type NewTrack = Insertable<TracksTable>;
export type Job = Selectable<JobsTable>;
