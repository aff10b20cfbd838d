/**
 * The three buckets on the S3 emulator (fauxqs, the real S3 wire protocol), and two readers the
 * job suites assert with: an object's bytes, and the keys under a prefix.
 */
import type { Readable } from 'node:stream';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import type { ObjectStore } from '../../src/storage/object-store.ts';
import type { Stores } from '../../src/storage/open-stores.ts';
import { createS3Client, S3ObjectStore } from '../../src/storage/s3-store.ts';

export const startEmulatedStores = async (): Promise<{ fauxqs: FauxqsServer; stores: Stores }> => {
  const fauxqs = await startFauxqs({ port: 0, logger: false });
  for (const b of ['transcripts', 'daily', 'whereby']) fauxqs.createBucket(b);
  const client = createS3Client({ region: 'us-east-1', accessKeyId: 'x', secretAccessKey: 'x', endpoint: `http://127.0.0.1:${fauxqs.port}` });
  return {
    fauxqs,
    stores: { transcripts: new S3ObjectStore(client, 'transcripts'), daily: new S3ObjectStore(client, 'daily'), whereby: new S3ObjectStore(client, 'whereby') },
  };
};

/**
 * The settings that point the service's three buckets at an S3 endpoint (the emulator, or a
 * proxy in front of it), as an operator sets them; `buckets` renames the raw ones.
 */
export const emulatedStorageEnv = (endpoint: string, buckets: { daily?: string; whereby?: string } = {}, credentials = 'x'): Record<string, string> => ({
  TRANSCRIPT_STORAGE_AWS_ACCESS_KEY_ID: credentials,
  TRANSCRIPT_STORAGE_AWS_SECRET_ACCESS_KEY: credentials,
  TRANSCRIPT_STORAGE_AWS_REGION: 'us-east-1',
  TRANSCRIPT_STORAGE_AWS_ENDPOINT_URL: endpoint,
  TRANSCRIPT_STORAGE_AWS_BUCKET_NAME: 'transcripts',
  DAILYCO_STORAGE_AWS_BUCKET_NAME: buckets.daily ?? 'daily',
  WHEREBY_STORAGE_AWS_BUCKET_NAME: buckets.whereby ?? 'whereby',
});

export const readObject = async (store: ObjectStore, key: string): Promise<Buffer> => {
  const { body } = await store.get(key);
  const parts: Buffer[] = [];
  for await (const p of body as Readable) parts.push(p as Buffer);
  return Buffer.concat(parts);
};

export const listKeys = async (store: ObjectStore, prefix = ''): Promise<string[]> => {
  const out: string[] = [];
  for await (const o of store.list(prefix)) out.push(o.key);
  return out.sort();
};
