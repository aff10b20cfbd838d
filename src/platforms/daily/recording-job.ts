/**
 * A Daily raw-tracks recording → the processing job's payload. Shared by the webhook and the
 * poller, so both enqueue the same job under the same key.
 */
import type { RecordingJobPayload } from '../../recordings/recording-jobs.ts';
import { audioTrackObjects, type RecordingReadyPayload } from './events.ts';

/** Daily's raw-tracks files are `<recording start ms>-…`; the webhook gives whole seconds. */
const recordingStartMs = (payload: RecordingReadyPayload): number => {
  const fromKey = /(?:^|\/)(\d{13})(?:$|-)/.exec(payload.s3_key ?? '')?.[1] ?? /\/(\d{13})-/.exec(payload.tracks?.[0]?.s3Key ?? '')?.[1];
  return fromKey ? Number(fromKey) : Math.round(payload.start_ts * 1000);
};

export const recordingJob = (payload: RecordingReadyPayload, bucket: string): RecordingJobPayload => ({
  platform: 'daily',
  platformRecordingId: payload.recording_id,
  bucket,
  roomName: payload.room_name,
  recordingStartMs: recordingStartMs(payload),
  objects: audioTrackObjects(payload),
  otherObjects: (payload.tracks ?? []).filter((t) => t.type !== 'audio').map((t) => t.s3Key),
});
