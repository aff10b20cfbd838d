/**
 * The job kinds and their payload: the contract between what enqueues (webhooks, the Daily
 * poller, the Whereby queue consumer) and the worker that processes recordings. Kept apart from
 * the processing code so enqueuers do not load the pipeline.
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
});
export type RecordingJobPayload = z.infer<typeof RecordingJobPayload>;
