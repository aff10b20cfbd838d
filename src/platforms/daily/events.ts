/**
 * Daily webhook payloads (docs.daily.co/reference/rest-api/webhooks/events), validated with schemas open to
 * extra fields (Daily adds fields without notice; timestamps may be floats).
 */
import { z } from 'zod';

/** Unix seconds up to the year 5138: a bigger number is not a time (and would make an invalid Date). */
const unixSec = z.number().min(0).max(1e11);
/** Names and ids are short; a megabyte of display name is stored cut, not refused. */
const shortText = (max: number) => z.string().transform((s) => s.slice(0, max));
const id = z.string().min(1).max(200);

export const DailyEnvelope = z.looseObject({
  version: z.string().optional(),
  type: z.string().min(1).max(100),
  id,
  payload: z.looseObject({}),
  event_ts: unixSec,
});
export type DailyEnvelope = z.infer<typeof DailyEnvelope>;

export const RecordingReadyPayload = z.looseObject({
  type: z.string().max(100),
  recording_id: id,
  room_name: id,
  start_ts: unixSec,
  duration: z.number().min(0).max(1e9).nullish(),
  s3_key: z.string().max(1024).nullish(),
  tracks: z.array(z.looseObject({ type: z.string().max(100), s3Key: z.string().min(1).max(1024), size: z.number().nullish() })).nullish(),
});
export type RecordingReadyPayload = z.infer<typeof RecordingReadyPayload>;

export const ParticipantPayload = z.looseObject({
  room: id.optional(),
  room_name: id.optional(),
  session_id: id,
  user_id: shortText(200).nullish(),
  user_name: shortText(200).nullish(),
  joined_at: unixSec.nullish(),
  duration: z.number().min(0).max(1e9).nullish(),
});
export type ParticipantPayload = z.infer<typeof ParticipantPayload>;

/**
 * The audio objects of a raw-tracks recording: `cam-audio` (participants) and `screen-audio`
 * (marked as screen share); video tracks are left alone. Daily lists tracks with `type: "audio"`.
 */
export const audioTrackObjects = (payload: RecordingReadyPayload): Array<{ key: string; screenShare: boolean }> =>
  (payload.tracks ?? []).filter((t) => t.type === 'audio').map((t) => ({ key: t.s3Key, screenShare: /-screen-audio-\d+(\.[A-Za-z0-9]{1,5})?$/.test(t.s3Key) }));
