/**
 * The three buckets from configuration: S3 with the app's master credentials, or local
 * directories. A local store's URL-signing key defaults to a random one kept in the data
 * directory, so presigned URLs survive restarts.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { StorageConfig } from '../config/env.ts';
import type { ObjectStore } from './object-store.ts';
import { LocalObjectStore } from './local-store.ts';
import { createS3Client, S3ObjectStore } from './s3-store.ts';

export type Stores = { transcripts: ObjectStore; whereby: ObjectStore; daily: ObjectStore };

const localSigningKey = async (rootDir: string): Promise<string> => {
  const file = join(rootDir, '.url-signing-key');
  const existing = await readFile(file, 'utf8').catch(() => null);
  if (existing) return existing.trim();
  const key = randomBytes(32).toString('base64url');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return key;
};

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
  const signingKey = config.signingKey ?? (await localSigningKey(config.rootDir));
  const local = (bucket: string) => new LocalObjectStore({ rootDir: config.rootDir, bucket, publicUrl: config.publicUrl, signingKey });
  return { stores: { transcripts: local(config.buckets.transcripts), whereby: local(config.buckets.whereby), daily: local(config.buckets.daily) }, localSigningKey: signingKey };
};
