/**
 * The service's configuration (server, job workers, platform integrations) on top of the
 * persistence settings in env.ts and the transcriber's; its variables are service-env.ts'.
 * Integrations are optional: each runs only when configured, settings that only work together are
 * checked together, and every problem of every schema is named in one refusal (zod issues, their
 * path the variable).
 */
import { DEFAULTS } from '../defaults.ts';
import type { ValidationIssue } from '../errors.ts';
import type { TrackFormat } from '../mix/track-format.ts';
import type { TranscriberOptions } from '../transcription/transcriber.ts';
import { PersistenceEnvSchema, persistenceConfig, type PersistenceConfig } from './env.ts';
import { cleanEnv, configError, type Env, parseSettings } from './parse-settings.ts';
import { transcriberOptions, TranscriptionEnv } from './transcription-config.ts';
import { ServiceEnv } from './service-env.ts';

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
  /** An idle worker looks for queued jobs this often. */
  jobPollMs: number;
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
    jobPollMs: e.JOB_POLL_SECONDS * 1000,
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
