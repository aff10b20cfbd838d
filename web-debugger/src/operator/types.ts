/** What the operator view reads from the API (src/server/api-schemas.ts, session-route-specs.ts). */
export type Scope = 'read' | 'write' | 'admin';

export type Caller = { kind: 'key' | 'user' | 'operator'; name: string; scope: Scope };

export type RecordingItem = {
  id: string;
  platform: 'daily' | 'whereby';
  platformRecordingId: string;
  status: 'pending' | 'processing' | 'cleanup' | 'processed' | 'failed' | 'deleted';
  error: string | null;
  meetingId: string | null;
  roomName: string | null;
  startAt: string | null;
  createdAt: string;
  updatedAt: string;
  durationMs: number | null;
  tracks: number;
  transcriptId: string | null;
  transcriptionStatus: 'none' | 'pending' | 'running' | 'ready' | 'failed' | null;
  transcriptionError: string | null;
};

export type RecordingPage = { recordings: RecordingItem[]; nextOffset: number | null };

/** States a job is still working on: the list refreshes itself while any row is in one. */
export const BUSY_STATUSES = new Set(['pending', 'processing', 'cleanup']);
export const BUSY_TRANSCRIPTION = new Set(['pending', 'running']);

export const canWrite = (caller: Caller) => caller.scope === 'write' || caller.scope === 'admin';
