/**
 * The platform integrations a configuration switches on: the Whereby S3-event queue's client and
 * the meeting APIs `POST /v1/meetings` may call. Each exists only when fully configured.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import type { ServiceConfig } from '../config/service-config.ts';
import type { Stores } from '../storage/open-stores.ts';
import { awsRequestHandler } from '../storage/aws-timeouts.ts';
import type { MeetingPlatforms } from './api-routes.ts';

/** The SQS client of AWS_PROCESS_RECORDING_QUEUE_URL, or undefined when no queue is configured. */
export const wherebyQueueClient = (config: ServiceConfig): SQSClient | undefined => {
  if (!config.whereby.queueUrl) return undefined;
  const s3 = config.storage.kind === 's3' ? config.storage : undefined;
  return new SQSClient({
    region: s3?.region ?? 'us-east-1',
    ...(config.whereby.sqsEndpoint ? { endpoint: config.whereby.sqsEndpoint } : {}),
    requestHandler: awsRequestHandler(),
    // The app's master credentials when S3 is configured; an emulator endpoint without them
    // takes any; otherwise the AWS default chain (instance role, AWS_* variables).
    ...(s3
      ? { credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } }
      : config.whereby.sqsEndpoint
        ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
        : {}),
  });
};

/** Daily and Whereby meeting creation, each when its key and upload settings are all there. */
export const meetingPlatforms = (config: ServiceConfig, stores: Stores): MeetingPlatforms => {
  const { daily, whereby } = config;
  return {
    ...(daily.apiKey && daily.region && daily.roleArn
      ? { daily: { api: { apiUrl: daily.apiUrl, apiKey: daily.apiKey }, bucket: stores.daily.bucket, region: daily.region, roleArn: daily.roleArn } }
      : {}),
    ...(whereby.apiKey && whereby.uploadAccessKeyId && whereby.uploadSecretAccessKey
      ? {
          whereby: {
            api: { apiUrl: whereby.apiUrl, apiKey: whereby.apiKey },
            bucket: stores.whereby.bucket,
            accessKeyId: whereby.uploadAccessKeyId,
            accessKeySecret: whereby.uploadSecretAccessKey,
          },
        }
      : {}),
  };
};
