/**
 * The three buckets from configuration: S3 with the app's master credentials, or local
 * directories. A local store's URL-signing key defaults to a random one kept in the data
 * directory, so presigned URLs survive restarts.
 */
import { join } from 'node:path';
import type { ObjectStore } from './object-store.ts';
import { LocalObjectStore } from './local-store.ts';
import { createS3Client, S3ObjectStore } from './s3-store.ts';
import { secretFromFile } from './secret-file.ts';
import { mkdirPrivate } from './private-dir.ts';

export type Buckets = { transcripts: string; whereby: string; daily: string };

/** Where the three buckets live (config/env.ts reads it from the environment). */
export type StorageConfig =
  | { kind: 'local'; rootDir: string; publicUrl: string | (() => string); signingKey?: string; buckets: Buckets }
  | { kind: 's3'; region: string; accessKeyId: string; secretAccessKey: string; endpoint?: string; buckets: Buckets };

export type Stores = { transcripts: ObjectStore; whereby: ObjectStore; daily: ObjectStore };

/** The three stores, and for local storage the key that signs (and verifies) their URLs. */
export const openStores = async (config: StorageConfig): Promise<{ stores: Stores; localSigningKey?: string }> => {
  if (config.kind === 's3') {
    const client = createS3Client(config);
    return {
      stores: {
        transcripts: new S3ObjectStore(client, config.buckets.transcripts),
        whereby: new S3ObjectStore(client, config.buckets.whereby),
        daily: new S3ObjectStore(client, config.buckets.daily),
      },
    };
  }
  const signingKey = config.signingKey ?? (await secretFromFile(join(config.rootDir, '.url-signing-key')));
  // The bucket directories exist from the start, so readiness can tell a missing one.
  for (const bucket of Object.values(config.buckets)) await mkdirPrivate(join(config.rootDir, bucket));
  const local = (bucket: string) => new LocalObjectStore({ rootDir: config.rootDir, bucket, publicUrl: config.publicUrl, signingKey });
  return {
    stores: { transcripts: local(config.buckets.transcripts), whereby: local(config.buckets.whereby), daily: local(config.buckets.daily) },
    localSigningKey: signingKey,
  };
};
