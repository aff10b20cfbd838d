/**
 * The Whereby path through S3 events: the Whereby bucket notifies the configured SQS queue of
 * every created object (`whereby:notifications`), and the queue answers (`queue`). Only read
 * calls: GetBucketNotificationConfiguration and GetQueueAttributes.
 */
import { GetBucketNotificationConfigurationCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { fail, notApplicable, pass, type Check } from './check.ts';
import { s3Problem } from './storage-checks.ts';

/** `https://sqs.<region>.amazonaws.com/<account>/<name>` → its ARN, when the URL has that form. */
export const queueArnFromUrl = (queueUrl: string): string | null => {
  const m = /^https?:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(\d{12})\/([^/?#]+)$/.exec(queueUrl);
  return m ? `arn:aws:sqs:${m[1]}:${m[2]}:${m[3]}` : null;
};

export const queueChecks = (options: { s3?: S3Client; sqs?: SQSClient; queueUrl?: string; wherebyBucket: string }): Check[] => {
  const { s3, sqs, queueUrl, wherebyBucket } = options;
  let attributes: Promise<Record<string, string>> | undefined;
  const queueAttributes = (signal: AbortSignal) =>
    (attributes ??= sqs!
      .send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages'] }), { abortSignal: signal })
      .then((out) => out.Attributes ?? {}));
  return [
    {
      name: 'whereby:notifications',
      run: async (signal) => {
        if (!queueUrl || !sqs) return notApplicable('no AWS_PROCESS_RECORDING_QUEUE_URL (Whereby recordings come by webhook only)');
        if (!s3) return notApplicable('local storage has no bucket notifications');
        const arn = (await queueAttributes(signal).catch(() => ({}) as Record<string, string>)).QueueArn ?? queueArnFromUrl(queueUrl);
        const configuration = await s3
          .send(new GetBucketNotificationConfigurationCommand({ Bucket: wherebyBucket }), { abortSignal: signal })
          .catch((error: unknown) => s3Problem(error, wherebyBucket, 'whereby', 's3:GetBucketNotification'));
        if ('ok' in configuration) return configuration;
        const toQueue = (configuration.QueueConfigurations ?? []).filter((c) => c.QueueArn === arn);
        const created = toQueue.some((c) => (c.Events ?? []).some((e) => e === 's3:ObjectCreated:*' || e.startsWith('s3:ObjectCreated:')));
        const fix = `add an event notification to bucket ${wherebyBucket}: events s3:ObjectCreated:*, destination SQS queue ${arn ?? queueUrl} (and a queue policy letting s3.amazonaws.com send to it)`;
        if (!toQueue.length) {
          const others = (configuration.QueueConfigurations ?? []).map((c) => c.QueueArn).filter(Boolean);
          return fail(`bucket ${wherebyBucket} does not notify ${arn ?? queueUrl}${others.length ? ` (it notifies ${others.join(', ')})` : ''}`, fix);
        }
        return created
          ? pass(`bucket ${wherebyBucket} sends object-created events to ${arn}`)
          : fail(`bucket ${wherebyBucket} notifies ${arn}, but not of created objects`, fix);
      },
    },
    {
      name: 'queue',
      run: async (signal) => {
        if (!queueUrl || !sqs) return notApplicable('no AWS_PROCESS_RECORDING_QUEUE_URL');
        try {
          const attrs = await queueAttributes(signal);
          return pass(`${attrs.QueueArn ?? queueUrl}: ${attrs.ApproximateNumberOfMessages ?? '?'} messages waiting`);
        } catch (error) {
          const e = error as { name?: string; message?: string };
          return fail(
            `${queueUrl}: ${e.message || e.name}`,
            /NonExistentQueue|QueueDoesNotExist/.test(`${e.name}`)
              ? 'create the queue, or fix AWS_PROCESS_RECORDING_QUEUE_URL'
              : 'grant sqs:GetQueueAttributes, sqs:ReceiveMessage and sqs:DeleteMessage on the queue to the app’s key; check SQS_ENDPOINT_URL',
          );
        }
      },
    },
  ];
};
