/**
 * Whereby's meeting API (platforms.md §2.3): a meeting whose cloud recording lands as MP4 in our
 * Whereby bucket, uploaded with the Whereby-specific access key.
 */
import { z } from 'zod';
import { TracksError } from '../../errors.ts';

export type WherebyApi = { apiUrl: string; apiKey: string; fetch?: typeof fetch };

export const WherebyMeeting = z.looseObject({
  meetingId: z.string().min(1),
  roomName: z.string().min(1),
  roomUrl: z.string().min(1),
  hostRoomUrl: z.string().nullish(),
  startDate: z.string().nullish(),
  endDate: z.string().nullish(),
});

export type WherebyRecordingDestination = { bucket: string; accessKeyId: string; accessKeySecret: string };

export const createWherebyMeeting = async (api: WherebyApi, options: { roomNamePrefix?: string; endDate: Date; destination: WherebyRecordingDestination }) => {
  const response = await (api.fetch ?? fetch)(`${api.apiUrl.replace(/\/$/, '')}/meetings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.apiKey}`, 'content-type': 'application/json' },
    signal: AbortSignal.timeout(30_000),
    body: JSON.stringify({
      endDate: options.endDate.toISOString(),
      isLocked: false,
      roomMode: 'group',
      roomNamePattern: 'uuid',
      ...(options.roomNamePrefix ? { roomNamePrefix: options.roomNamePrefix.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 39) } : {}),
      fields: ['hostRoomUrl'],
      recording: {
        type: 'cloud',
        destination: { provider: 's3', authenticationType: 'accessKey', bucket: options.destination.bucket, accessKeyId: options.destination.accessKeyId, accessKeySecret: options.destination.accessKeySecret, fileFormat: 'mp4' },
        startTrigger: 'automatic-2nd-participant',
      },
    }),
  });
  const text = await response.text();
  if (response.status !== 201 && !response.ok) throw new TracksError('PLATFORM_API_FAILED', `Whereby API POST /meetings answered ${response.status}: ${text.slice(0, 300)}`);
  const parsed = WherebyMeeting.safeParse(JSON.parse(text));
  if (!parsed.success) throw new TracksError('PLATFORM_API_FAILED', `Whereby API POST /meetings: unexpected response (${parsed.error.issues[0]?.message}).`);
  return parsed.data;
};
