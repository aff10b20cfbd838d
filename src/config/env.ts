/**
 * The persistence settings (database, object storage, DATA_DIR), validated at start with zod:
 * every problem is named in one message, and nothing half-configured starts. Unset database and
 * storage settings mean the embedded defaults (PGlite and local directories under DATA_DIR).
 * Each entry's `.describe()` is its line in the settings table (settings-table.ts).
 */
import { z } from 'zod';
import { DEFAULTS } from '../defaults.ts';
import type { Buckets, StorageConfig } from '../storage/open-stores.ts';
import { type Env as RawEnv, validateEnv } from './parse-settings.ts';

export { validateEnv } from './parse-settings.ts';

const optionalString = z.string().trim().min(1).optional();

/** It signs inspector links and presigned URLs: HMAC-SHA256 keys shorter than the hash can be guessed more easily (RFC 2104 §3). */
export const MIN_SIGNING_SECRET_BYTES = 32;

export const PersistenceEnv = z.object({
  DATA_DIR: z
    .string()
    .trim()
    .min(1)
    .default(DEFAULTS.dataDir)
    .describe(
      'folder of the embedded database (PGlite), local object storage and work files; one the service makes is private (0700, files 0600, whatever the umask), an existing one keeps its mode',
    ),
  DATABASE_URL: z
    .string()
    .trim()
    .url()
    .refine((u) => /^postgres(ql)?:\/\//.test(u), 'must be a postgres:// URL')
    .optional()
    .describe('PostgreSQL, postgres://user:pass@host:5432/db (unset: PGlite under DATA_DIR)'),
  PUBLIC_URL: z
    .string()
    .trim()
    .url()
    .optional()
    .describe("this service's address as clients reach it, for presigned local-storage links (unset: http://localhost:PORT, the port actually bound)"),
  OBJECT_URL_SECRET: z
    .string()
    .trim()
    .refine((v) => Buffer.byteLength(v) >= MIN_SIGNING_SECRET_BYTES, `must be at least ${MIN_SIGNING_SECRET_BYTES} bytes`)
    .optional()
    .describe(`signs inspector links and presigned URLs, at least ${MIN_SIGNING_SECRET_BYTES} bytes (unset: a random key kept in DATA_DIR)`),
  TRANSCRIPT_STORAGE_AWS_ACCESS_KEY_ID: optionalString.describe(
    'S3 access key id; with the secret and region, all three buckets are on S3 (unset: local storage)',
  ),
  TRANSCRIPT_STORAGE_AWS_SECRET_ACCESS_KEY: optionalString.describe('S3 secret access key'),
  TRANSCRIPT_STORAGE_AWS_REGION: optionalString.describe('S3 region, e.g. eu-west-1'),
  TRANSCRIPT_STORAGE_AWS_ENDPOINT_URL: z.string().trim().url().optional().describe('S3-compatible endpoint (MinIO and the like; path-style)'),
  TRANSCRIPT_STORAGE_AWS_BUCKET_NAME: optionalString.describe(`bucket of the outputs (local: ${DEFAULTS.buckets.transcripts}; required on S3)`),
  WHEREBY_STORAGE_AWS_BUCKET_NAME: optionalString.describe(`bucket Whereby records into (local: ${DEFAULTS.buckets.whereby}; required on S3)`),
  DAILYCO_STORAGE_AWS_BUCKET_NAME: optionalString.describe(`bucket Daily records into (local: ${DEFAULTS.buckets.daily}; required on S3)`),
});

const S3_CREDENTIALS = ['TRANSCRIPT_STORAGE_AWS_ACCESS_KEY_ID', 'TRANSCRIPT_STORAGE_AWS_SECRET_ACCESS_KEY', 'TRANSCRIPT_STORAGE_AWS_REGION'] as const;

/** S3 is all three credentials or none, and then every bucket is named. */
const EnvSchema = PersistenceEnv.superRefine((env, ctx) => {
  const given = S3_CREDENTIALS.filter((k) => env[k] !== undefined);
  if (given.length > 0 && given.length < S3_CREDENTIALS.length) {
    for (const k of S3_CREDENTIALS.filter((k) => env[k] === undefined)) {
      ctx.addIssue({ code: 'custom', path: [k], message: `required with ${given.join(', ')} (S3 needs all three; leave all unset for local storage)` });
    }
  }
  if (given.length === S3_CREDENTIALS.length) {
    for (const k of ['TRANSCRIPT_STORAGE_AWS_BUCKET_NAME', 'WHEREBY_STORAGE_AWS_BUCKET_NAME', 'DAILYCO_STORAGE_AWS_BUCKET_NAME'] as const) {
      if (!env[k]) ctx.addIssue({ code: 'custom', path: [k], message: 'required when S3 credentials are set' });
    }
  }
});
export { EnvSchema as PersistenceEnvSchema };

export type Env = z.infer<typeof EnvSchema>;

export type PersistenceConfig = {
  dataDir: string;
  /** OBJECT_URL_SECRET: signs presigned local-store URLs and inspector links (random, kept in DATA_DIR, when unset). */
  urlSigningSecret?: string;
  databaseUrl?: string;
  /** PUBLIC_URL; null follows the address the server binds (PORT=0 included). */
  publicUrl: string | null;
  /** Where the server listens, written by it once bound: what links use while PUBLIC_URL is unset. */
  boundUrl: { current: string };
  storage: StorageConfig;
};

/** Parses the environment; throws `CONFIG_INVALID` listing every problem. */
export const parseEnv = (env: RawEnv = process.env): Env => validateEnv(EnvSchema, env);

export const persistenceConfig = (env: Env): PersistenceConfig => {
  const boundUrl = { current: `http://localhost:${DEFAULTS.port}` };
  const buckets: Buckets = {
    transcripts: env.TRANSCRIPT_STORAGE_AWS_BUCKET_NAME ?? DEFAULTS.buckets.transcripts,
    whereby: env.WHEREBY_STORAGE_AWS_BUCKET_NAME ?? DEFAULTS.buckets.whereby,
    daily: env.DAILYCO_STORAGE_AWS_BUCKET_NAME ?? DEFAULTS.buckets.daily,
  };
  const publicUrl = env.PUBLIC_URL ?? null;
  const storage: StorageConfig = env.TRANSCRIPT_STORAGE_AWS_ACCESS_KEY_ID
    ? {
        kind: 's3',
        region: env.TRANSCRIPT_STORAGE_AWS_REGION!,
        accessKeyId: env.TRANSCRIPT_STORAGE_AWS_ACCESS_KEY_ID,
        secretAccessKey: env.TRANSCRIPT_STORAGE_AWS_SECRET_ACCESS_KEY!,
        endpoint: env.TRANSCRIPT_STORAGE_AWS_ENDPOINT_URL,
        buckets,
      }
    : { kind: 'local', rootDir: `${env.DATA_DIR}/objects`, publicUrl: publicUrl ?? (() => boundUrl.current), signingKey: env.OBJECT_URL_SECRET, buckets };
  return { dataDir: env.DATA_DIR, databaseUrl: env.DATABASE_URL, urlSigningSecret: env.OBJECT_URL_SECRET, publicUrl, boundUrl, storage };
};
