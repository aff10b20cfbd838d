/**
 * The embedded object store: bucket = a directory, key = a relative path inside it. Keys that
 * could leave the directory (`..`, absolute paths, NUL) are refused, and the resolved path is
 * checked to stay inside the root as well. Writes go to a temporary file first and are renamed
 * into place, so a reader never sees half an object.
 *
 * Presigned URLs point at the server's `/v1/objects/<bucket>/<key>` route and carry an expiry
 * and an HMAC over bucket, key and expiry (`verifyPresignedGet` checks them).
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TracksError } from '../errors.ts';
import type { ObjectInfo, ObjectStore, PutOptions } from './object-store.ts';

export type LocalStoreOptions = { rootDir: string; bucket: string; publicUrl: string; signingKey: string };

export class LocalObjectStore implements ObjectStore {
  readonly bucket: string;
  readonly #root: string;
  readonly #publicUrl: string;
  readonly #signingKey: string;

  constructor(options: LocalStoreOptions) {
    this.bucket = options.bucket;
    this.#root = resolve(options.rootDir, options.bucket);
    this.#publicUrl = options.publicUrl.replace(/\/$/, '');
    this.#signingKey = options.signingKey;
  }

  /** The file behind `key`, or `STORAGE_BAD_KEY` if the key could escape the bucket directory. */
  pathOf(key: string): string {
    const bad =
      key.length === 0 || key.length > 1024 || key.includes('\0') || key.startsWith('/') || key.includes('\\') ||
      key.split('/').some((part) => part === '..' || part === '.' || part === '');
    const path = resolve(this.#root, key);
    if (bad || !path.startsWith(this.#root + sep)) {
      throw new TracksError('STORAGE_BAD_KEY', `Object key ${JSON.stringify(key)} is not a plain relative key.`, { data: { key } });
    }
    return path;
  }

  async get(key: string) {
    const path = this.pathOf(key);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) throw new TracksError('STORAGE_NOT_FOUND', `No object ${key} in ${this.bucket}.`, { data: { bucket: this.bucket, key } });
    return { body: createReadStream(path), sizeBytes: info.size };
  }

  async put(key: string, body: Readable | Uint8Array, _options: PutOptions = {}) {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${randomUUID()}.partial`;
    try {
      await pipeline(body instanceof Uint8Array ? Readable.from([body]) : body, createWriteStream(temp));
      await rename(temp, path);
    } catch (cause) {
      await rm(temp, { force: true });
      throw new TracksError('STORAGE_FAILED', `Could not store ${key} in ${this.bucket}: ${(cause as Error).message}`, { cause });
    }
    return { sizeBytes: (await stat(path)).size };
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const info = await stat(this.pathOf(key)).catch(() => null);
    return info?.isFile() ? { key, sizeBytes: info.size, lastModified: info.mtime } : null;
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    const walk = async function* (dir: string, root: string): AsyncGenerator<string> {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) yield* walk(full, root);
        else if (entry.isFile() && !entry.name.endsWith('.partial')) yield relative(root, full).split(sep).join('/');
      }
    };
    for await (const key of walk(this.#root, this.#root)) {
      if (!key.startsWith(prefix)) continue;
      const info = await this.head(key);
      if (info) yield info;
    }
  }

  async presignGet(key: string, expiresSec: number): Promise<string> {
    this.pathOf(key);
    const expires = Math.floor(Date.now() / 1000) + expiresSec;
    const signature = sign(this.#signingKey, this.bucket, key, expires);
    return `${this.#publicUrl}/v1/objects/${encodeURIComponent(this.bucket)}/${key.split('/').map(encodeURIComponent).join('/')}?expires=${expires}&signature=${signature}`;
  }
}

const sign = (secret: string, bucket: string, key: string, expires: number) =>
  createHmac('sha256', secret).update(`${bucket}\n${key}\n${expires}`).digest('base64url');

/** Checks a local presigned URL's signature and expiry. */
export const verifyPresignedGet = (secret: string, bucket: string, key: string, expires: number, signature: string, nowSec = Date.now() / 1000): boolean => {
  if (!Number.isFinite(expires) || expires < nowSec) return false;
  const expected = Buffer.from(sign(secret, bucket, key, expires));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
};
