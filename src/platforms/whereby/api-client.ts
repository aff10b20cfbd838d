/**
 * Whereby's meeting API (docs.whereby.com/reference/whereby-rest-api-reference/meetings): a meeting whose cloud recording lands as MP4 in our
 * Whereby bucket, uploaded with the Whereby-specific access key.
 */
import { z } from 'zod';
import { callPlatformApi, type PlatformApi } from '../platform-api.ts';

export type WherebyApi = PlatformApi;

const WherebyMeeting = z.looseObject({
  meetingId: z.string().min(1),
  roomName: z.string().min(1),
  roomUrl: z.string().min(1),
  hostRoomUrl: z.string().nullish(),
  startDate: z.string().nullish(),
  endDate: z.string().nullish(),
});

export type WherebyRecordingDestination = { bucket: string; accessKeyId: string; accessKeySecret: string };

export const createWherebyMeeting = (api: WherebyApi, options: { roomNamePrefix?: string; endDate: Date; destination: WherebyRecordingDestination }) =>
  callPlatformApi('Whereby', api, '/meetings', WherebyMeeting, {
    method: 'POST',
    body: JSON.stringify({
      endDate: options.endDate.toISOString(),
      isLocked: false,
      roomMode: 'group',
      roomNamePattern: 'uuid',
      ...(options.roomNamePrefix
        ? {
            roomNamePrefix: options.roomNamePrefix
              .toLowerCase()
              .replace(/[^a-z0-9]/g, '')
              .slice(0, 39),
          }
        : {}),
      fields: ['hostRoomUrl'],
      recording: {
        type: 'cloud',
        destination: {
          provider: 's3',
          authenticationType: 'accessKey',
          bucket: options.destination.bucket,
          accessKeyId: options.destination.accessKeyId,
          accessKeySecret: options.destination.accessKeySecret,
          fileFormat: 'mp4',
        },
        startTrigger: 'automatic-2nd-participant',
      },
    }),
  });
