/**
 * The service's own environment variables (server, job workers, platform integrations) as one zod
 * schema, with the value rules they share (secrets long enough to be keys, booleans, bounded
 * numbers). Each entry's `.describe()` is its line in the settings table (settings-table.ts): a new
 * setting is one entry. What they mean together, and the typed configuration, is service-config.ts.
 */
import { z } from 'zod';
import { DEFAULTS } from '../defaults.ts';
import { isTrackFormat, TRACK_FORMATS } from '../mix/track-format.ts';

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
  JOB_POLL_SECONDS: seconds(0.05, 60).default(DEFAULTS.jobPollSeconds).describe('how often an idle job worker looks for queued jobs'),
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
