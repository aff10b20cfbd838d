/**
 * The Whereby recording queue on the SQS emulator (fauxqs, AWS JSON protocol) with S3 event
 * messages as S3 writes them (docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { consumeSqsOnce } from '../../src/platforms/whereby/sqs-consumer.ts';
import { decodeS3EventKey, parseS3EventMessage } from '../../src/platforms/whereby/s3-events.ts';
import { parseWherebyRecordingKey } from '../../src/platforms/whereby/recording-key.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { waitUntil } from '../helpers/wait.ts';

let fauxqs: FauxqsServer;
let sqs: SQSClient;
let queueUrl: string;
let dlqUrl: string;
let t: TestDatabase;

const s3Event = (key: string, bucket = 'whereby-recordings', eventName = 'ObjectCreated:CompleteMultipartUpload') => ({
  Records: [
    {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: '2025-01-21T16:31:02.123Z',
      eventName,
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'whereby-recordings-created',
        bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
        object: { key, size: 73400320, eTag: 'd41d8cd98f00b204e9800998ecf8427e-9', sequencer: '0055AED6DCD90281E5' },
      },
    },
  ],
});
const encodeKey = (k: string) => encodeURIComponent(k).replace(/%2F/g, '/').replace(/%20/g, '+');
const send = (body: unknown) => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: typeof body === 'string' ? body : JSON.stringify(body) }));
const deps = () => ({ db: t.handle.db, sqs, queueUrl, wherebyBucket: 'whereby-recordings', log: () => {}, waitTimeSeconds: 1, visibilityTimeoutSec: 1 });

beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, logger: false });
  const dlq = fauxqs.createQueue('whereby-dlq');
  dlqUrl = dlq.queueUrl;
  queueUrl = fauxqs.createQueue('whereby', {
    attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: '2' }) },
  }).queueUrl;
  sqs = new SQSClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${fauxqs.port}`, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  t = await createTestDatabase('postgres');
  await migrateToLatest(t.handle.db);
});
afterAll(async () => {
  await t?.drop();
  await fauxqs?.stop();
});

describe('S3 event messages', () => {
  it('decode form-encoded keys: + is a space, %2B a plus', () => {
    expect(decodeS3EventKey('odd+dir/%C3%BC%2Bx+(1).mp4')).toBe('odd dir/ü+x (1).mp4');
    expect(parseS3EventMessage(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent' }))).toEqual({ kind: 'test' });
    const sns = JSON.stringify({ Type: 'Notification', Message: JSON.stringify(s3Event('a+b.mp4')) });
    expect(parseS3EventMessage(sns)).toEqual({ kind: 'records', created: [{ bucket: 'whereby-recordings', key: 'a b.mp4', sizeBytes: 73400320 }], ignored: 0 });
    expect(() => parseS3EventMessage('{"hello":1}')).toThrow();
  });

  it('read the room and the start time from a Whereby key', () => {
    expect(parseWherebyRecordingKey('rec/teamstandup-2f1c0a5e-4d1b-4a0e-9b1a-0c2f3e4d5a6b-2025-01-21T16:29:59Z.mp4')).toEqual({
      roomName: 'teamstandup-2f1c0a5e-4d1b-4a0e-9b1a-0c2f3e4d5a6b',
      recordingStartMs: Date.parse('2025-01-21T16:29:59Z'),
    });
    expect(parseWherebyRecordingKey('whatever.mp4')).toEqual({ roomName: 'whatever', recordingStartMs: null });
  });
});

describe('Whereby SQS consumer', () => {
  it('enqueues one job per object, deletes handled messages and the test event, and leaves a malformed one to redrive', async () => {
    const key = 'teamstandup-2f1c0a5e-4d1b-4a0e-9b1a-0c2f3e4d5a6b-2025-01-21T16:29:59Z.mp4';
    await send({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'whereby-recordings' });
    await send(s3Event(encodeKey(key)));
    await send(s3Event(encodeKey(key))); // S3 delivers at least once
    await send(s3Event('x.mp4', 'whereby-recordings', 'ObjectRemoved:Delete'));
    await send('not json at all');
    const first = await consumeSqsOnce(deps());
    expect(first).toMatchObject({ received: 5, deleted: 4, enqueued: 1 });
    const jobs = await t.handle.db.selectFrom('jobs').selectAll().execute();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      kind: 'process_recording',
      idempotency_key: `whereby:whereby-recordings/${key}`,
      payload: {
        platform: 'whereby',
        bucket: 'whereby-recordings',
        roomName: 'teamstandup-2f1c0a5e-4d1b-4a0e-9b1a-0c2f3e4d5a6b',
        recordingStartMs: Date.parse('2025-01-21T16:29:59Z'),
        objects: [{ key }],
      },
    });
    // The malformed message comes back after its visibility timeout (each pass long-polls 1 s), then goes to the DLQ.
    const again = await waitUntil('the malformed message received again', async () => {
      const pass = await consumeSqsOnce(deps());
      return pass.received > 0 && pass;
    });
    expect(again).toMatchObject({ received: 1, deleted: 0 });
    await waitUntil('the malformed message in the DLQ', async () => {
      await consumeSqsOnce(deps());
      const dlq = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
      return dlq.Attributes?.ApproximateNumberOfMessages === '1';
    });
  });
});
