/**
 * The parts of Daily's REST API we call (docs.daily.co/reference/rest-api/recordings, …/rooms), over fetch with the API key.
 * Responses are validated with schemas open to extra fields.
 */
import { z } from 'zod';
import { callPlatformApi, type PlatformApi } from '../platform-api.ts';

export const DailyRecording = z.looseObject({
  id: z.string().min(1),
  room_name: z.string().min(1),
  start_ts: z.number(),
  status: z.string(),
  /** Absent or null while the recording is in progress. */
  duration: z.number().nullish(),
  /** The API omits it; raw-tracks is inferred from a non-empty `tracks`. */
  type: z.string().nullish(),
  s3key: z.string().nullish(),
  tracks: z.array(z.looseObject({ type: z.string(), s3Key: z.string().min(1), size: z.number().nullish() })).nullish(),
});
export type DailyRecording = z.infer<typeof DailyRecording>;

const RecordingsPage = z.looseObject({ total_count: z.number().optional(), data: z.array(DailyRecording) });

export type DailyApi = PlatformApi;

const call = <T>(api: DailyApi, path: string, schema: z.ZodType<T>, init: RequestInit = {}) => callPlatformApi('Daily', api, path, schema, init);

/** One page of recordings, newest first; `startingAfter` is a recording-id cursor. */
export const listDailyRecordings = (api: DailyApi, options: { startingAfter?: string; limit?: number } = {}) => {
  const query = new URLSearchParams({ limit: String(options.limit ?? 100), ...(options.startingAfter ? { starting_after: options.startingAfter } : {}) });
  return call(api, `/recordings?${query}`, RecordingsPage);
};

const DailyRoom = z.looseObject({ id: z.string().optional(), name: z.string().min(1), url: z.string().min(1) });

export type RecordingsBucket = { bucketName: string; bucketRegion: string; assumeRoleArn: string };

/** A private room that records raw tracks into our bucket (docs.daily.co/reference/rest-api/rooms/config: enable_recording, recordings_bucket). */
export const createDailyRoom = (api: DailyApi, options: { name?: string; expiresAt?: Date; bucket: RecordingsBucket }) =>
  call(api, '/rooms', DailyRoom, {
    method: 'POST',
    body: JSON.stringify({
      ...(options.name ? { name: options.name } : {}),
      privacy: 'private',
      properties: {
        enable_recording: 'raw-tracks',
        ...(options.expiresAt ? { exp: Math.floor(options.expiresAt.getTime() / 1000) } : {}),
        recordings_bucket: {
          bucket_name: options.bucket.bucketName,
          bucket_region: options.bucket.bucketRegion,
          assume_role_arn: options.bucket.assumeRoleArn,
          allow_api_access: true,
        },
      },
    }),
  });
