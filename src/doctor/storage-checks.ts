/**
 * The three buckets, the way the service uses them: the transcript bucket is written, read and
 * cleaned (a probe under `.doctor/`); the platforms' buckets are only listed and read — a write
 * there would fire the bucket's event notifications and look like a recording.
 */
import { randomUUID } from 'node:crypto';
import { rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { LocalObjectStore } from '../storage/local-store.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { StorageConfig } from '../storage/open-stores.ts';
import { S3ObjectStore } from '../storage/s3-store.ts';
import { fail, notApplicable, pass, type Check, type CheckResult } from './check.ts';

type BucketRole = 'transcripts' | 'daily' | 'whereby';

const BUCKET_VARIABLE: Record<BucketRole, string> = {
  transcripts: 'TRANSCRIPT_STORAGE_AWS_BUCKET_NAME',
  daily: 'DAILYCO_STORAGE_AWS_BUCKET_NAME',
  whereby: 'WHEREBY_STORAGE_AWS_BUCKET_NAME',
};

/** What an S3 error means for an operator, and what to do about it. */
export const s3Problem = (error: unknown, bucket: string, role: BucketRole, needs: string): CheckResult => {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  if (status === 404 || e.name === 'NoSuchBucket')
    return fail(
      `bucket ${bucket} does not exist`,
      `create bucket ${bucket}${role === 'daily' ? ' (versioning on: Daily requires it)' : ''}, or set ${BUCKET_VARIABLE[role]}`,
    );
  if (status === 403 || e.name === 'AccessDenied')
    return fail(`access denied on bucket ${bucket}`, `grant ${needs} on arn:aws:s3:::${bucket} to the key in TRANSCRIPT_STORAGE_AWS_ACCESS_KEY_ID`);
  return fail(`bucket ${bucket}: ${e.message || e.name}`, 'check TRANSCRIPT_STORAGE_AWS_REGION / _ENDPOINT_URL and that S3 is reachable from this host');
};

const storeOf = (storage: StorageConfig, client: S3Client | undefined, role: BucketRole): ObjectStore =>
  client
    ? new S3ObjectStore(client, storage.buckets[role])
    : new LocalObjectStore({
        rootDir: (storage as { rootDir: string }).rootDir,
        bucket: storage.buckets[role],
        publicUrl: 'http://doctor.invalid',
        signingKey: 'doctor',
      });

const readAll = async (body: Readable) => {
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(part as Buffer);
  return Buffer.concat(parts);
};

/** A local directory bucket that does not exist yet is made by the service's first start (storage/open-stores.ts). */
const notMadeYet = async (store: ObjectStore): Promise<boolean> =>
  !(await store.checkBucket().then(
    () => true,
    () => false,
  ));

/** put, get and delete a probe under `.doctor/`. */
const transcriptBucket = (storage: StorageConfig, client: S3Client | undefined): Check => ({
  name: 'bucket:transcripts',
  run: async (signal) => {
    const store = storeOf(storage, client, 'transcripts');
    if (!client && (await notMadeYet(store))) return notApplicable(`directory bucket ${store.bucket} does not exist yet (serve makes it at start)`);
    const key = `.doctor/${randomUUID()}`;
    const probe = Buffer.from(`reflector-tracks doctor ${new Date().toISOString()}`);
    try {
      // The store's own errors do not tell a missing bucket from a missing key: ask first.
      if (client) await client.send(new HeadBucketCommand({ Bucket: store.bucket }), { abortSignal: signal });
      await store.put(key, probe);
      const back = await readAll((await store.get(key)).body);
      await store.delete(key);
      if (!client) await rmdir(join((storage as { rootDir: string }).rootDir, store.bucket, '.doctor')).catch(() => {}); // only when empty
      if (!back.equals(probe))
        return fail(
          `bucket ${store.bucket}: the probe read back differs from what was written`,
          'check the S3 endpoint (an S3-compatible store mishandling uploads)',
        );
      return pass(`bucket ${store.bucket}: probe written, read back and deleted`);
    } catch (error) {
      if (!client) return fail((error as Error).message, 'check that DATA_DIR is writable by this user');
      return s3Problem((error as { cause?: unknown }).cause ?? error, store.bucket, 'transcripts', 's3:PutObject, s3:GetObject and s3:DeleteObject');
    }
  },
});

/** Exists, can be listed, and its first object read — never written. */
const platformBucket = (storage: StorageConfig, client: S3Client | undefined, role: 'daily' | 'whereby', configured: string | null): Check => ({
  name: `bucket:${role}`,
  run: async (signal) => {
    if (!configured) return notApplicable(`${role === 'daily' ? 'Daily' : 'Whereby'} is not configured`);
    const bucket = storage.buckets[role];
    if (!client) {
      const store = storeOf(storage, undefined, role);
      if (await notMadeYet(store)) return notApplicable(`directory bucket ${bucket} does not exist yet (serve makes it at start)`);
      try {
        for await (const object of store.list('')) {
          (await store.get(object.key)).body.destroy();
          return pass(`directory bucket ${bucket}: exists, listed, ${object.key} read`);
        }
        return pass(`directory bucket ${bucket}: exists and listed (empty: nothing to read)`);
      } catch (error) {
        return fail((error as Error).message, 'check that DATA_DIR is readable by this user');
      }
    }
    try {
      await client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: signal });
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }), { abortSignal: signal });
      const first = page.Contents?.[0]?.Key;
      if (!first) return pass(`bucket ${bucket}: exists and listed (empty: nothing to read)`);
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: first, Range: 'bytes=0-0' }), { abortSignal: signal });
      (object.Body as Readable | undefined)?.destroy();
      return pass(`bucket ${bucket}: exists, listed, ${first} read`);
    } catch (error) {
      return s3Problem(error, bucket, role, 's3:ListBucket and s3:GetObject');
    }
  },
});

export const storageChecks = (storage: StorageConfig, client: S3Client | undefined, platforms: { daily: string | null; whereby: string | null }): Check[] => [
  transcriptBucket(storage, client),
  platformBucket(storage, client, 'daily', platforms.daily),
  platformBucket(storage, client, 'whereby', platforms.whereby),
];
