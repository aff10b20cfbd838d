/**
 * `reflector-tracks doctor`: every check of a configuration, in the order the service depends
 * on them — database, buckets, the Whereby queue, the platforms' APIs, the transcriber.
 */
import type { ServiceConfig } from '../config/service-config.ts';
import { wherebyQueueClient } from '../server/integrations.ts';
import { createS3Client } from '../storage/s3-store.ts';
import { runChecks, type CheckRow } from './check.ts';
import { databaseChecks } from './database-checks.ts';
import { platformChecks } from './platform-checks.ts';
import { queueChecks } from './queue-checks.ts';
import { storageChecks } from './storage-checks.ts';

export const CHECK_NAMES = [
  'database',
  'migrations',
  'bucket:transcripts',
  'bucket:daily',
  'bucket:whereby',
  'whereby:notifications',
  'queue',
  'daily:api',
  'daily:webhook',
  'daily:role',
  'whereby:api',
  'transcription',
] as const;

/** What switches a platform on (null: not configured, its bucket is not checked). */
const configured = (settings: Record<string, unknown>): string | null => Object.keys(settings).find((k) => settings[k]) ?? null;

export const runDoctor = async (config: ServiceConfig, options: { publicUrl: string; timeoutMs?: number }): Promise<CheckRow[]> => {
  const s3 = config.storage.kind === 's3' ? createS3Client(config.storage) : undefined;
  const sqs = wherebyQueueClient(config);
  const database = databaseChecks(config);
  try {
    const checks = [
      ...database.checks,
      ...storageChecks(config.storage, s3, {
        daily: configured({ DAILY_API_KEY: config.daily.apiKey, DAILY_WEBHOOK_SECRET: config.daily.webhookSecret }),
        whereby: configured({
          WHEREBY_API_KEY: config.whereby.apiKey,
          WHEREBY_WEBHOOK_SECRET: config.whereby.webhookSecret,
          AWS_PROCESS_RECORDING_QUEUE_URL: config.whereby.queueUrl,
        }),
      }),
      ...queueChecks({ s3, sqs, queueUrl: config.whereby.queueUrl, wherebyBucket: config.storage.buckets.whereby }),
      ...platformChecks(config, options.publicUrl),
    ];
    return await runChecks(checks, options.timeoutMs);
  } finally {
    await database.close();
    s3?.destroy();
    sqs?.destroy();
  }
};
