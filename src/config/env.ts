/**
 * Configuration from the environment, validated at start with zod: every problem is named in one
 * message, and nothing half-configured starts. Unset database and storage settings mean the
 * embedded defaults (PGlite and local directories under DATA_DIR).
 */
import { z } from 'zod';
import { TracksError } from '../errors.ts';
import type { Buckets, StorageConfig } from '../storage/open-stores.ts';

const optionalString = z.string().trim().min(1).optional();

const EnvSchema = z
  .object({
    DATA_DIR: z.string().trim().min(1).default('./data'),
    DATABASE_URL: z
      .string()
      .trim()
      .url()
      .refine((u) => /^postgres(ql)?:\/\//.test(u), 'must be a postgres:// URL')
      .optional(),
    PUBLIC_URL: z.string().trim().url().default('http://localhost:8080'),
    OBJECT_URL_SECRET: optionalString,
    TRANSCRIPT_STORAGE_AWS_ACCESS_KEY_ID: optionalString,
    TRANSCRIPT_STORAGE_AWS_SECRET_ACCESS_KEY: optionalString,
    TRANSCRIPT_STORAGE_AWS_REGION: optionalString,
    TRANSCRIPT_STORAGE_AWS_ENDPOINT_URL: z.string().trim().url().optional(),
    TRANSCRIPT_STORAGE_AWS_BUCKET_NAME: optionalString,
    WHEREBY_STORAGE_AWS_BUCKET_NAME: optionalString,
    DAILYCO_STORAGE_AWS_BUCKET_NAME: optionalString,
  })
  .superRefine((env, ctx) => {
    const s3 = ['TRANSCRIPT_STORAGE_AWS_ACCESS_KEY_ID', 'TRANSCRIPT_STORAGE_AWS_SECRET_ACCESS_KEY', 'TRANSCRIPT_STORAGE_AWS_REGION'] as const;
    const given = s3.filter((k) => env[k] !== undefined);
    if (given.length > 0 && given.length < s3.length) {
      for (const k of s3.filter((k) => env[k] === undefined)) {
        ctx.addIssue({ code: 'custom', path: [k], message: `required with ${given.join(', ')} (S3 needs all three; leave all unset for local storage)` });
      }
    }
    if (given.length === s3.length) {
      for (const k of ['TRANSCRIPT_STORAGE_AWS_BUCKET_NAME', 'WHEREBY_STORAGE_AWS_BUCKET_NAME', 'DAILYCO_STORAGE_AWS_BUCKET_NAME'] as const) {
        if (!env[k]) ctx.addIssue({ code: 'custom', path: [k], message: 'required when S3 credentials are set' });
      }
    }
  });

export type Env = z.infer<typeof EnvSchema>;

export type PersistenceConfig = {
  dataDir: string;
  /** OBJECT_URL_SECRET: signs presigned local-store URLs and inspector links (random, kept in DATA_DIR, when unset). */
  urlSigningSecret?: string;
  databaseUrl?: string;
  storage: StorageConfig;
};

/**
 * Validates variables against a schema; an empty string means unset (a common artefact of .env
 * files and CI variables). Throws `CONFIG_INVALID` listing every problem.
 */
export const validateEnv = <S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.output<S> => {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join('.') || '(environment)'}: ${i.message}`);
    throw new TracksError('CONFIG_INVALID', `Invalid configuration:\n${problems.join('\n')}`, { data: { issues: result.error.issues } });
  }
  return result.data;
};

/** Parses the environment; throws `CONFIG_INVALID` listing every problem. */
export const parseEnv = (env: Record<string, string | undefined> = process.env): Env => validateEnv(EnvSchema, env);

export const persistenceConfig = (env: Env): PersistenceConfig => {
  const buckets: Buckets = {
    transcripts: env.TRANSCRIPT_STORAGE_AWS_BUCKET_NAME ?? 'transcripts',
    whereby: env.WHEREBY_STORAGE_AWS_BUCKET_NAME ?? 'whereby',
    daily: env.DAILYCO_STORAGE_AWS_BUCKET_NAME ?? 'daily',
  };
  const storage: StorageConfig = env.TRANSCRIPT_STORAGE_AWS_ACCESS_KEY_ID
    ? {
        kind: 's3',
        region: env.TRANSCRIPT_STORAGE_AWS_REGION!,
        accessKeyId: env.TRANSCRIPT_STORAGE_AWS_ACCESS_KEY_ID,
        secretAccessKey: env.TRANSCRIPT_STORAGE_AWS_SECRET_ACCESS_KEY!,
        endpoint: env.TRANSCRIPT_STORAGE_AWS_ENDPOINT_URL,
        buckets,
      }
    : { kind: 'local', rootDir: `${env.DATA_DIR}/objects`, publicUrl: env.PUBLIC_URL, signingKey: env.OBJECT_URL_SECRET, buckets };
  return { dataDir: env.DATA_DIR, databaseUrl: env.DATABASE_URL, urlSigningSecret: env.OBJECT_URL_SECRET, storage };
};
