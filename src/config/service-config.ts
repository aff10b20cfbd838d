/**
 * The service's configuration (server, job workers, platform integrations) on top of the
 * persistence settings in env.ts. Integrations are optional: each runs only when configured,
 * and the start-up log says which are on.
 */
import { z } from 'zod';
import type { TranscriberOptions } from '../transcription/transcriber.ts';
import { transcriptionConfig } from './transcription-config.ts';
import { TracksError } from '../errors.ts';
import { isTrackFormat, type TrackFormat } from '../mix/track-format.ts';
import { parseEnv, persistenceConfig, type PersistenceConfig } from './env.ts';

const opt = z.string().trim().min(1).optional();

/** HMAC keys shorter than 128 bits can be guessed or were pasted wrong (`====` decodes to nothing). */
const MIN_SECRET_BYTES = 16;
const base64Secret = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9+/=_-]+$/, 'must be base64 (Daily hands it out base64-encoded)')
  .refine((v) => Buffer.from(v, 'base64').length >= MIN_SECRET_BYTES, `must decode to at least ${MIN_SECRET_BYTES} bytes`);
const textSecret = z
  .string()
  .trim()
  .refine((v) => Buffer.byteLength(v) >= MIN_SECRET_BYTES, `must be at least ${MIN_SECRET_BYTES} bytes`);
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const ServiceEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  DAILY_WEBHOOK_SECRET: base64Secret.optional(),
  DAILY_API_KEY: opt,
  DAILY_API_URL: z.string().url().default('https://api.daily.co/v1'),
  DAILY_POLL_INTERVAL_SECONDS: z.coerce.number().min(5).default(60),
  DAILYCO_STORAGE_AWS_REGION: opt,
  DAILYCO_STORAGE_AWS_ROLE_ARN: opt,
  DAILY_STORAGE_AWS_ROLE_ARN: opt,
  WHEREBY_WEBHOOK_SECRET: textSecret.optional(),
  AUTH_DISABLED: bool.default(false),
  AUTH_JWKS_URL: z.string().url().optional(),
  AUTH_ISSUER: opt,
  AUTH_AUDIENCE: opt,
  METRICS_TOKEN: textSecret.optional(),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  WHEREBY_API_KEY: opt,
  WHEREBY_API_URL: z.string().url().default('https://api.whereby.dev/v1'),
  WHEREBY_STORAGE_AWS_ACCESS_KEY_ID: opt,
  WHEREBY_STORAGE_AWS_SECRET_ACCESS_KEY: opt,
  AWS_WHEREBY_ACCESS_KEY_ID: opt,
  AWS_WHEREBY_ACCESS_KEY_SECRET: opt,
  AWS_PROCESS_RECORDING_QUEUE_URL: z.string().url().optional(),
  SQS_ENDPOINT_URL: z.string().url().optional(),
  DELETE_RAW_RECORDINGS: z
    .enum(['audio', 'all', 'none', 'true', 'false'])
    .transform((v) => (v === 'true' ? 'audio' : v === 'false' ? 'none' : v))
    .default('audio'),
  // Jobs one service process runs at once (each renders on the shared engine pool); JOB_CONCURRENCY
  // is the name it had before the sizing rule (README, "Sizing") named it.
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  JOB_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  JOB_RETRY_BASE_SECONDS: z.coerce.number().min(0.01).max(3600).default(10),
  JOB_LEASE_SECONDS: z.coerce.number().min(1).max(3600).default(60),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(25),
  RETENTION_DAYS: z.coerce.number().positive().max(36500).optional(),
  ENGINE_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  TRACK_FORMAT: z.string().refine(isTrackFormat, 'must be opus, wav or flac').default('opus'),
  TRACK_REENCODE: bool
    .default(false)
    .describe('true: Opus renders decode and encode again instead of copying the source packets (the `--reencode` of `process`)'),
});

export type ServiceConfig = PersistenceConfig & {
  port: number;
  host: string;
  /** `disabled` only by an explicit AUTH_DISABLED=true (local development; warned on every start). */
  auth: { disabled: boolean; oidc?: { jwksUrl: string; issuer: string; audience: string } };
  metricsToken?: string;
  maxBodyBytes: number;
  daily: { webhookSecret?: string; apiKey?: string; apiUrl: string; pollIntervalSec: number; region?: string; roleArn?: string };
  whereby: {
    webhookSecret?: string;
    apiKey?: string;
    apiUrl: string;
    uploadAccessKeyId?: string;
    uploadSecretAccessKey?: string;
    queueUrl?: string;
    sqsEndpoint?: string;
  };
  /** Raw objects deleted once their outputs are stored: audio tracks, all (video too), none. */
  deleteRawRecordings: 'audio' | 'all' | 'none';
  jobConcurrency: number;
  /** Attempts per recording job, and the first retry delay (doubling after). */
  jobMaxAttempts: number;
  jobRetryBaseMs: number;
  /** A dead worker's job is taken over after this; heartbeats renew it every third. */
  jobLeaseMs: number;
  /** SIGTERM: running jobs get this long to finish, then are released for another worker. */
  shutdownGraceMs: number;
  /** Transcripts older than this are deleted with their objects; unset keeps everything. */
  retentionDays?: number;
  engineWorkers?: number;
  trackFormat: TrackFormat;
  /** TRACK_REENCODE: Opus renders decode and encode again instead of copying the source's packets. */
  trackReencode: boolean;
  /** TRANSCRIPTION_*: the transcriber every processed recording's speech goes to; null when TRANSCRIPTION_API_URL is unset. */
  transcription: TranscriberOptions | null;
};

export const loadServiceConfig = (env: Record<string, string | undefined> = process.env): ServiceConfig => {
  const problems: string[] = [];
  let persistence: PersistenceConfig | undefined;
  try {
    persistence = persistenceConfig(parseEnv(env));
  } catch (error) {
    problems.push(...(error as Error).message.split('\n').slice(1));
  }
  let transcription: TranscriberOptions | null = null;
  try {
    transcription = transcriptionConfig(env);
  } catch (error) {
    problems.push(...(error as Error).message.split('\n').slice(1));
  }
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = ServiceEnv.safeParse(cleaned);
  if (!parsed.success) problems.push(...parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`));
  const oidcMissing = (['AUTH_JWKS_URL', 'AUTH_ISSUER', 'AUTH_AUDIENCE'] as const).filter((k) => cleaned[k] === undefined);
  if (oidcMissing.length > 0 && oidcMissing.length < 3) {
    problems.push(...oidcMissing.map((k) => `  ${k}: required with the other AUTH_* settings (OIDC needs the JWKS URL, issuer and audience)`));
  }
  if (problems.length || !parsed.success || !persistence) throw new TracksError('CONFIG_INVALID', `Invalid configuration:\n${problems.join('\n')}`);
  const e = parsed.data;
  return {
    ...persistence,
    port: e.PORT,
    host: e.HOST,
    auth: {
      disabled: e.AUTH_DISABLED,
      ...(e.AUTH_JWKS_URL && e.AUTH_ISSUER && e.AUTH_AUDIENCE ? { oidc: { jwksUrl: e.AUTH_JWKS_URL, issuer: e.AUTH_ISSUER, audience: e.AUTH_AUDIENCE } } : {}),
    },
    metricsToken: e.METRICS_TOKEN,
    maxBodyBytes: e.MAX_BODY_BYTES,
    daily: {
      webhookSecret: e.DAILY_WEBHOOK_SECRET,
      apiKey: e.DAILY_API_KEY,
      apiUrl: e.DAILY_API_URL,
      pollIntervalSec: e.DAILY_POLL_INTERVAL_SECONDS,
      region: e.DAILYCO_STORAGE_AWS_REGION,
      // The original system's name is accepted too.
      roleArn: e.DAILYCO_STORAGE_AWS_ROLE_ARN ?? e.DAILY_STORAGE_AWS_ROLE_ARN,
    },
    whereby: {
      webhookSecret: e.WHEREBY_WEBHOOK_SECRET,
      apiKey: e.WHEREBY_API_KEY,
      apiUrl: e.WHEREBY_API_URL,
      // The original system's names are accepted too.
      uploadAccessKeyId: e.WHEREBY_STORAGE_AWS_ACCESS_KEY_ID ?? e.AWS_WHEREBY_ACCESS_KEY_ID,
      uploadSecretAccessKey: e.WHEREBY_STORAGE_AWS_SECRET_ACCESS_KEY ?? e.AWS_WHEREBY_ACCESS_KEY_SECRET,
      queueUrl: e.AWS_PROCESS_RECORDING_QUEUE_URL,
      sqsEndpoint: e.SQS_ENDPOINT_URL,
    },
    deleteRawRecordings: e.DELETE_RAW_RECORDINGS,
    jobConcurrency: e.WORKER_CONCURRENCY ?? e.JOB_CONCURRENCY ?? 1,
    jobMaxAttempts: e.JOB_MAX_ATTEMPTS,
    jobRetryBaseMs: e.JOB_RETRY_BASE_SECONDS * 1000,
    jobLeaseMs: e.JOB_LEASE_SECONDS * 1000,
    shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
    retentionDays: e.RETENTION_DAYS,
    engineWorkers: e.ENGINE_WORKERS,
    trackFormat: e.TRACK_FORMAT as TrackFormat,
    trackReencode: e.TRACK_REENCODE,
    transcription,
  };
};
