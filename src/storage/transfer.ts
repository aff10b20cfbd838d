/**
 * Moving objects between a store and the job's work folder, the way every job must: downloads
 * streamed to disk, and uploads checked against the store afterwards — an output counts as stored
 * only when the store reports its exact size (nothing raw is deleted on the strength of an upload
 * that did not land whole).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { TracksError } from '../errors.ts';
import type { ObjectStore, PutOptions } from './object-store.ts';

/** Streams `key` into the file at `path`; resolves to its size in bytes. */
export const downloadToFile = async (store: ObjectStore, key: string, path: string): Promise<number> => {
  const { body } = await store.get(key);
  await pipeline(body, createWriteStream(path));
  return (await stat(path)).size;
};

/** Stores a file (streamed) or bytes under `key`, then verifies the stored size; throws `STORAGE_FAILED`. */
export const putVerified = async (store: ObjectStore, key: string, from: { path: string } | { bytes: Uint8Array }, options?: PutOptions): Promise<void> => {
  const sizeBytes = 'path' in from ? (await stat(from.path)).size : from.bytes.length;
  await store.put(key, 'path' in from ? createReadStream(from.path) : from.bytes, options);
  const stored = await store.head(key);
  if (stored?.sizeBytes !== sizeBytes) {
    throw new TracksError('STORAGE_FAILED', `Upload of ${key} did not verify: ${stored?.sizeBytes ?? 'no object'} bytes stored, ${sizeBytes} written.`);
  }
};
