/**
 * How the service demo announces its recordings, as the platforms do: Daily's signed
 * `recording.ready-to-download` webhook, and the S3 event of an object in the Whereby bucket put on
 * the SQS queue the service consumes.
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { signDaily } from '../platforms/daily/signature.ts';
import type { Service } from '../server/service.ts';
import type { SyntheticTrack } from './synthetic-meeting.ts';

/** Daily's webhook for the raw tracks under `prefix`, signed with `secret`: the HTTP status and the recording id it announced. */
export const sendDailyWebhook = async (service: Service, tracks: readonly SyntheticTrack[], prefix: string, minutes: number, secret: string) => {
  const event = {
    version: '1.0.0',
    type: 'recording.ready-to-download',
    id: `demo-${Date.now()}`,
    event_ts: Date.now() / 1000,
    payload: {
      type: 'raw-tracks',
      recording_id: `demo-recording-${Date.now()}`,
      room_name: 'demo-standup',
      start_ts: 1_700_000_000,
      status: 'finished',
      duration: minutes * 60,
      s3_key: `${prefix}1700000000000`,
      tracks: tracks.map((t) => ({ type: t.kind === 'video-webm' ? 'video' : 'audio', s3Key: prefix + t.name, size: 0 })),
    },
  };
  const raw = JSON.stringify(event);
  const ts = String(Math.floor(Date.now() / 1000));
  const answer = await fetch(new URL('/v1/daily/webhook', service.url!), {
    method: 'POST',
    body: raw,
    headers: { 'x-webhook-timestamp': ts, 'x-webhook-signature': signDaily(new TextEncoder().encode(raw), ts, secret) },
  });
  return { status: answer.status, recordingId: event.payload.recording_id };
};

/** The S3 event of `key` in the Whereby bucket, on the queue at `queueUrl` of the SQS emulator on `port`. */
export const sendWherebyS3Event = async (port: number, queueUrl: string, bucket: string, key: string) => {
  const sqs = new SQSClient({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' },
  });
  const encoded = encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: JSON.stringify({
        Records: [
          {
            eventVersion: '2.1',
            eventName: 'ObjectCreated:Put',
            s3: { bucket: { name: bucket }, object: { key: encoded, size: 0 } },
          },
        ],
      }),
    }),
  );
};
