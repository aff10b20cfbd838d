/**
 * The service's configuration (server, job workers, platform integrations) on top of the
 * persistence settings in env.ts and the transcriber's. Integrations are optional: each runs only
 * when configured, settings that only work together are checked together, and every problem of
 * every schema is named in one refusal (zod issues, their path the variable). Each entry's
 * `.describe()` is its line in the settings table (settings-table.ts): a new setting is one entry.
 */
import { z } from 'zod';
import { DEFAULTS } from '../defaults.ts';
import type { ValidationIssue } from '../errors.ts';
import { isTrackFormat, TRACK_FORMATS, type TrackFormat } from '../mix/track-format.ts';
import type { TranscriberOptions } from '../transcription/transcriber.ts';
import { PersistenceEnvSchema, persistenceConfig, type PersistenceConfig } from './env.ts';
import { cleanEnv, configError, type Env, parseSettings } from './parse-settings.ts';
import { transcriberOptions, TranscriptionEnv } from './transcription-config.ts';

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
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const seconds = (min: number, max: number) => z.coerce.number().min(min).max(max);

export const ServiceEnv = z.object({
  PORT: int(0, 65535).default(DEFAULTS.port).describe('HTTP port (0: any free port)'),
  HOST: z.string().trim().min(1).default(DEFAULTS.host).describe('address the HTTP server binds (127.0.0.1: this machine only)'),
  DAILY_WEBHOOK_SECRET: base64Secret
    .optional()
    .describe(`base64 HMAC secret of the Daily webhook (POST /v1/daily/webhook), at least ${MIN_SECRET_BYTES} bytes decoded`),
  DAILY_API_KEY: opt.describe('Daily REST API key: the poller (finished recordings every interval); with the two below, meeting creation'),
  DAILY_API_URL: z.string().url().default(DEFAULTS.dailyApiUrl).describe('Daily REST API base URL'),
  DAILY_POLL_INTERVAL_SECONDS: seconds(5, 86_400).default(DEFAULTS.dailyPollIntervalSeconds).describe('how often the poller lists recordings'),
  DAILYCO_STORAGE_AWS_ROLE_ARN: opt.describe('IAM role Daily assumes to write raw tracks into DAILYCO_STORAGE_AWS_BUCKET_NAME (POST /v1/meetings)'),
  DAILY_STORAGE_AWS_ROLE_ARN: opt.describe('the original system’s name for DAILYCO_STORAGE_AWS_ROLE_ARN'),
  DAILYCO_STORAGE_AWS_REGION: opt.describe('region of the Daily bucket (POST /v1/meetings)'),
  WHEREBY_WEBHOOK_SECRET: textSecret.optional().describe(`secret of the Whereby webhook (POST /v1/whereby/webhook), at least ${MIN_SECRET_BYTES} bytes`),
  WHEREBY_API_KEY: opt.describe('Whereby REST API key: meeting creation, with the two upload credentials below'),
  WHEREBY_API_URL: z.string().url().default(DEFAULTS.wherebyApiUrl).describe('Whereby REST API base URL'),
  WHEREBY_STORAGE_AWS_ACCESS_KEY_ID: opt.describe('access key Whereby uploads recordings into WHEREBY_STORAGE_AWS_BUCKET_NAME with'),
  WHEREBY_STORAGE_AWS_SECRET_ACCESS_KEY: opt.describe('its secret'),
  AWS_WHEREBY_ACCESS_KEY_ID: opt.describe('the original system’s name for WHEREBY_STORAGE_AWS_ACCESS_KEY_ID'),
  AWS_WHEREBY_ACCESS_KEY_SECRET: opt.describe('the original system’s name for WHEREBY_STORAGE_AWS_SECRET_ACCESS_KEY'),
  AWS_PROCESS_RECORDING_QUEUE_URL: z.string().url().optional().describe('SQS queue of the Whereby bucket’s S3 events (unset: no queue consumer)'),
  SQS_ENDPOINT_URL: z.string().url().optional().describe('SQS-compatible endpoint (an emulator such as fauxqs)'),
  AUTH_JWKS_URL: z
    .string()
    .url()
    .optional()
    .describe('accept OIDC access tokens (JWT) besides API keys: the issuer JWKS URL (with AUTH_ISSUER, AUTH_AUDIENCE)'),
  AUTH_ISSUER: opt.describe('expected iss of OIDC tokens'),
  AUTH_AUDIENCE: opt.describe('expected aud of OIDC tokens'),
  AUTH_DISABLED: bool.default(false).describe('true: no authentication at all (local development only; warned on every start)'),
  METRICS_TOKEN: textSecret.optional().describe(`bearer token for /metrics, at least ${MIN_SECRET_BYTES} bytes (unset: loopback clients only)`),
  MAX_BODY_BYTES: int(1024, 64 * 1024 * 1024)
    .default(DEFAULTS.maxBodyBytes)
    .describe('cap on request bodies; larger → 413'),
  DELETE_RAW_RECORDINGS: z
    .enum(['audio', 'all', 'none', 'true', 'false'])
    .transform((v) => (v === 'true' ? 'audio' : v === 'false' ? 'none' : v))
    .default(DEFAULTS.deleteRawRecordings)
    .describe('audio: raw audio tracks go once their outputs are stored; all: video tracks too; none: keep everything (true = audio, false = none)'),
  // Jobs one service process runs at once (each renders on the shared engine pool); JOB_CONCURRENCY
  // is the name it had before the sizing rule (README, "Sizing") named it.
  WORKER_CONCURRENCY: int(1, 64).optional().describe(`jobs one process runs at once (default ${DEFAULTS.jobConcurrency})`),
  JOB_CONCURRENCY: int(1, 64).optional().describe('the earlier name of WORKER_CONCURRENCY'),
  JOB_MAX_ATTEMPTS: int(1, 50).default(DEFAULTS.jobMaxAttempts).describe('tries per recording job'),
  JOB_RETRY_BASE_SECONDS: seconds(0.01, 3600).default(DEFAULTS.jobRetryBaseSeconds).describe('first retry delay, doubling up to 5 minutes'),
  JOB_LEASE_SECONDS: seconds(1, 3600).default(DEFAULTS.jobLeaseSeconds).describe("a dead worker's job is taken over after this"),
  SHUTDOWN_GRACE_SECONDS: seconds(0, 3600).default(DEFAULTS.shutdownGraceSeconds).describe('on SIGTERM running jobs finish within this, else are released'),
  RETENTION_DAYS: int(1, 36_500).optional().describe('delete transcripts (objects and rows) older than this many days (unset: keep)'),
  ENGINE_WORKERS: int(1, 64).optional().describe('ffmpeg worker threads (default: the available cores)'),
  TRACK_FORMAT: z
    .string()
    .refine(isTrackFormat, `must be one of ${TRACK_FORMATS.join(', ')}`)
    .default(DEFAULTS.trackFormat)
    .describe(`rendered track format: ${TRACK_FORMATS.join(' | ')}`),
  TRACK_REENCODE: bool
    .default(false)
    .describe('true: Opus renders decode and encode again instead of copying the source packets (the `--reencode` of `process`)'),
  MIXDOWN_BLEED_GATE: bool
    .default(false)
    .describe(
      'Lower each track by 30 dB in its bleed-only stretches (another participant heard on its mic) in the mixdown; the per-track renders are never edited. Gives up the early mixdown.',
    ),
});

/** Settings that only work together: given some, the missing rest is a problem each. */
const together = (env: Record<string, string>, names: ReadonlyArray<string | readonly string[]>, why: string): ValidationIssue[] => {
  const isSet = (n: string | readonly string[]) => (typeof n === 'string' ? [n] : n).some((k) => env[k] !== undefined);
  const given = names.filter(isSet);
  if (given.length === 0 || given.length === names.length) return [];
  const label = (n: string | readonly string[]) => (typeof n === 'string' ? n : n[0]!);
  return names.filter((n) => !isSet(n)).map((n) => ({ path: [label(n)], message: `required with ${given.map(label).join(', ')} (${why})` }));
};

const DAILY_MEETINGS = ['DAILY_API_KEY', ['DAILYCO_STORAGE_AWS_ROLE_ARN', 'DAILY_STORAGE_AWS_ROLE_ARN'], 'DAILYCO_STORAGE_AWS_REGION'] as const;
const WHEREBY_MEETINGS = [
  'WHEREBY_API_KEY',
  ['WHEREBY_STORAGE_AWS_ACCESS_KEY_ID', 'AWS_WHEREBY_ACCESS_KEY_ID'],
  ['WHEREBY_STORAGE_AWS_SECRET_ACCESS_KEY', 'AWS_WHEREBY_ACCESS_KEY_SECRET'],
] as const;

const dailyPollerOnly = (env: Record<string, string>) =>
  env.DAILY_API_KEY !== undefined && DAILY_MEETINGS.slice(1).every((n) => [n].flat().every((k) => env[k] === undefined));

const togetherIssues = (env: Record<string, string>): ValidationIssue[] => [
  ...together(env, ['AUTH_JWKS_URL', 'AUTH_ISSUER', 'AUTH_AUDIENCE'], 'OIDC needs the JWKS URL, issuer and audience'),
  // DAILY_API_KEY alone is the poller without meeting creation: fine, and said at start (notices).
  ...(dailyPollerOnly(env) ? [] : together(env, DAILY_MEETINGS, 'Daily meeting creation needs the API key, the role Daily assumes and the bucket region')),
  ...together(env, WHEREBY_MEETINGS, 'Whereby meeting creation needs the API key and the upload credentials of its bucket'),
];

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
  /** MIXDOWN_BLEED_GATE: the mixdown lowers each track in its bleed-only stretches. */
  mixdownBleedGate: boolean;
  /** TRANSCRIPTION_*: the transcriber every processed recording's speech goes to; null when TRANSCRIPTION_API_URL is unset. */
  transcription: TranscriberOptions | null;
  /** What the start-up log says about settings that are valid but leave something off. */
  notices: string[];
};

export const loadServiceConfig = (env: Env = process.env): ServiceConfig => {
  const persistence = parseSettings(PersistenceEnvSchema, env);
  const transcription = parseSettings(TranscriptionEnv, env);
  const service = parseSettings(ServiceEnv, env);
  const set = cleanEnv(env);
  const issues = [...persistence.issues, ...transcription.issues, ...service.issues, ...togetherIssues(set)];
  if (issues.length || !persistence.data || !transcription.data || !service.data) throw configError(issues);
  const e = service.data;
  const notices = dailyPollerOnly(set)
    ? [
        'Daily meeting creation is off (POST /v1/meetings for Daily needs DAILYCO_STORAGE_AWS_ROLE_ARN and DAILYCO_STORAGE_AWS_REGION besides DAILY_API_KEY); the poller runs',
      ]
    : [];
  return {
    ...persistenceConfig(persistence.data),
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
    deleteRawRecordings: e.DELETE_RAW_RECORDINGS as ServiceConfig['deleteRawRecordings'],
    jobConcurrency: e.WORKER_CONCURRENCY ?? e.JOB_CONCURRENCY ?? DEFAULTS.jobConcurrency,
    jobMaxAttempts: e.JOB_MAX_ATTEMPTS,
    jobRetryBaseMs: e.JOB_RETRY_BASE_SECONDS * 1000,
    jobLeaseMs: e.JOB_LEASE_SECONDS * 1000,
    shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
    retentionDays: e.RETENTION_DAYS,
    engineWorkers: e.ENGINE_WORKERS,
    trackFormat: e.TRACK_FORMAT as TrackFormat,
    trackReencode: e.TRACK_REENCODE,
    transcription: transcriberOptions(transcription.data),
    notices,
    mixdownBleedGate: e.MIXDOWN_BLEED_GATE,
  };
};
