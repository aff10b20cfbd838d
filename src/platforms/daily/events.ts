/**
 * Daily webhook payloads (../shared/notes/platforms.md §1.1–1.2), validated with schemas open to
 * extra fields (Daily adds fields without notice; timestamps may be floats).
 */
import { z } from 'zod';

export const DailyEnvelope = z.looseObject({
  version: z.string().optional(),
  type: z.string().min(1),
  id: z.string().min(1),
  payload: z.looseObject({}),
  event_ts: z.number(),
});
export type DailyEnvelope = z.infer<typeof DailyEnvelope>;

export const RecordingReadyPayload = z.looseObject({
  type: z.string(),
  recording_id: z.string().min(1),
  room_name: z.string().min(1),
  start_ts: z.number(),
  duration: z.number().nullish(),
  s3_key: z.string().nullish(),
  tracks: z.array(z.looseObject({ type: z.string(), s3Key: z.string().min(1), size: z.number().nullish() })).nullish(),
});
export type RecordingReadyPayload = z.infer<typeof RecordingReadyPayload>;

export const ParticipantPayload = z.looseObject({
  room: z.string().optional(),
  room_name: z.string().optional(),
  session_id: z.string().min(1),
  user_id: z.string().nullish(),
  user_name: z.string().nullish(),
  joined_at: z.number().nullish(),
  duration: z.number().nullish(),
});
export type ParticipantPayload = z.infer<typeof ParticipantPayload>;

/**
 * The audio objects of a raw-tracks recording: `cam-audio` (participants) and `screen-audio`
 * (marked as screen share); video tracks are left alone. Daily lists tracks with `type: "audio"`.
 */
export const audioTrackObjects = (payload: RecordingReadyPayload): Array<{ key: string; screenShare: boolean }> =>
  (payload.tracks ?? [])
    .filter((t) => t.type === 'audio')
    .map((t) => ({ key: t.s3Key, screenShare: /-screen-audio-\d+$/.test(t.s3Key) }));
