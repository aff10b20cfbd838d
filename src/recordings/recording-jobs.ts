/**
 * The recording jobs' contract: their kinds, the zod schema of each kind's payload and the one
 * idempotency key, shared by what enqueues (webhooks, the Daily poller, the Whereby queue
 * consumer, reprocessing) and the worker that runs them (processing/job-kinds.ts). Kept apart
 * from the processing code so enqueuers do not load the pipeline. The recording a processing job
 * stands for is also on the job's row (`jobs.recording_id`, migration 0006), so the worker finds
 * it by its uuid.
 */
import { z } from 'zod';

export const PROCESS_MULTITRACK_RECORDING = 'process_multitrack_recording';
export const PROCESS_RECORDING = 'process_recording';

export const RecordingJobPayload = z.object({
  platform: z.enum(['daily', 'whereby']),
  platformRecordingId: z.string().min(1),
  bucket: z.string().min(1),
  roomName: z.string().min(1),
  /** Epoch ms of the recording start, when known. */
  recordingStartMs: z.number().nullable().default(null),
  /** The audio objects to process (Daily: cam-audio and screen-audio tracks; Whereby: the MP4). */
  objects: z.array(z.object({ key: z.string().min(1), screenShare: z.boolean().default(false) })).min(1),
  /** The recording's other raw objects (Daily's video tracks): deleted only under DELETE_RAW_RECORDINGS=all. */
  otherObjects: z.array(z.string().min(1)).default([]),
});

/** What enqueuers write (defaults may be left out). */
export type RecordingJobPayload = z.input<typeof RecordingJobPayload>;
/** What a worker reads. */
export type RecordingJob = z.output<typeof RecordingJobPayload>;

/**
 * The idempotency key of a recording's processing job, `<platform>:<platform recording id>`
 * (`daily:<recording id>`, `whereby:<bucket>/<key>`): every path that finds the recording again
 * finds the same job.
 */
export const recordingJobKey = (recording: Pick<RecordingJob, 'platform' | 'platformRecordingId'>): string =>
  `${recording.platform}:${recording.platformRecordingId}`;

/** Transcribe a transcript whose audio is ready (its own job, so a failed transcription never touches the audio). */
export const TRANSCRIBE_RECORDING = 'transcribe_recording';
export const TranscribeJobPayload = z.object({ transcriptId: z.string().uuid() });
export type TranscribeJob = z.output<typeof TranscribeJobPayload>;
