/**
 * The Whereby recording queue: S3 `ObjectCreated` events for the Whereby bucket, long-polled
 * from SQS. Every object becomes a `process_recording` job, idempotent on bucket + key; a
 * message is deleted only after its jobs are durably enqueued; the test event is deleted; a
 * malformed message is logged and left for the queue's redrive policy (its dead-letter queue).
 */
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { enqueueRecording } from '../../recordings/enqueue-recording.ts';
import { PROCESS_RECORDING, type RecordingJobPayload } from '../../recordings/recording-jobs.ts';
import { isPlainKey } from '../../storage/object-key.ts';
import { parseS3EventMessage } from './s3-events.ts';
import { parseWherebyRecordingKey } from './recording-key.ts';
import type { Log } from '../../log.ts';

export type SqsConsumerDeps = {
  db: Kysely<Database>;
  sqs: SQSClient;
  queueUrl: string;
  wherebyBucket: string;
  maxAttempts?: number;
  log: Log;
  /** Long-poll wait (20 s in production). */
  waitTimeSeconds?: number;
  /** Hidden while we enqueue: far longer than the enqueue step, far shorter than a job. */
  visibilityTimeoutSec?: number;
};

const wherebyJob = (bucket: string, key: string): RecordingJobPayload => {
  const { roomName, recordingStartMs } = parseWherebyRecordingKey(key);
  return { platform: 'whereby', platformRecordingId: `${bucket}/${key}`, bucket, roomName, recordingStartMs, objects: [{ key, screenShare: false }] };
};

/** One receive: returns how many messages were handled (deleted). */
export const consumeSqsOnce = async (deps: SqsConsumerDeps, signal?: AbortSignal): Promise<{ received: number; deleted: number; enqueued: number }> => {
  const out = await deps.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: deps.queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: deps.waitTimeSeconds ?? 20,
      VisibilityTimeout: deps.visibilityTimeoutSec ?? 60,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }),
    { abortSignal: signal },
  );
  const stats = { received: out.Messages?.length ?? 0, deleted: 0, enqueued: 0 };
  for (const message of out.Messages ?? []) {
    let parsed: ReturnType<typeof parseS3EventMessage>;
    try {
      parsed = parseS3EventMessage(message.Body ?? '');
    } catch (error) {
      deps.log({
        msg: 'sqs message malformed; left for redrive',
        messageId: message.MessageId,
        receiveCount: message.Attributes?.ApproximateReceiveCount,
        error: (error as Error).message,
      });
      continue;
    }
    if (parsed.kind === 'records') {
      for (const object of parsed.created) {
        if (object.bucket !== deps.wherebyBucket) {
          deps.log({ msg: 'sqs event for another bucket ignored', bucket: object.bucket, key: object.key });
          continue;
        }
        if (!isPlainKey(object.key)) {
          deps.log({ msg: 'sqs event with a key we never fetch ignored', bucket: object.bucket, key: object.key.slice(0, 200) });
          continue;
        }
        const { created, deleted } = await enqueueRecording(deps.db, PROCESS_RECORDING, wherebyJob(object.bucket, object.key), {
          maxAttempts: deps.maxAttempts,
        });
        if (created) stats.enqueued++;
        if (deleted) deps.log({ msg: 'sqs event for a deleted recording ignored', bucket: object.bucket });
      }
    }
    await deps.sqs.send(new DeleteMessageCommand({ QueueUrl: deps.queueUrl, ReceiptHandle: message.ReceiptHandle }));
    stats.deleted++;
  }
  return stats;
};

export const startSqsConsumer = (deps: SqsConsumerDeps) => {
  const stop = new AbortController();
  const done = (async () => {
    while (!stop.signal.aborted) {
      try {
        const stats = await consumeSqsOnce(deps, stop.signal);
        if (stats.received) deps.log({ msg: 'sqs batch', ...stats });
      } catch (error) {
        if (stop.signal.aborted) break;
        deps.log({ msg: 'sqs receive failed', error: (error as Error).message });
        await new Promise((r) => setTimeout(r, 5000));
      }
    }
  })();
  return {
    stop: async () => {
      stop.abort();
      await done;
    },
  };
};
