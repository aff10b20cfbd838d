/**
 * The embedded object store: bucket = a directory, key = a relative path inside it. Keys that
 * could leave the directory (`..`, absolute paths, NUL) are refused, and the resolved path is
 * checked to stay inside the root as well; symlinks are never followed (reads and heads refuse
 * them, listings skip them). Writes go to a temporary file first and are renamed
 * into place, so a reader never sees half an object. Folders are 0700 and objects 0600 whatever
 * the umask (private-dir.ts): the outputs are people's voices.
 *
 * Presigned URLs point at the server's `/v1/objects/<bucket>/<key>` route and carry an expiry
 * and an HMAC over bucket, key and expiry (`verifyPresignedGet` checks them).
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { lstat, open, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TracksError } from '../errors.ts';
import type { ObjectInfo, ObjectStore, PutOptions } from './object-store.ts';
import { rangeHeaderOf, resolveRange, type ByteRangeRequest } from './byte-range.ts';
import { isPlainKey } from './object-key.ts';
import { mkdirPrivate, PRIVATE_FILE_MODE } from './private-dir.ts';

/** `publicUrl` as a function follows an address known only once the server is bound (PUBLIC_URL unset, PORT=0). */
export type LocalStoreOptions = { rootDir: string; bucket: string; publicUrl: string | (() => string); signingKey: string };

export class LocalObjectStore implements ObjectStore {
  readonly bucket: string;
  readonly #root: string;
  readonly #publicUrl: () => string;
  readonly #signingKey: string;

  constructor(options: LocalStoreOptions) {
    this.bucket = options.bucket;
    this.#root = resolve(options.rootDir, options.bucket);
    const { publicUrl } = options;
    this.#publicUrl = () => (typeof publicUrl === 'string' ? publicUrl : publicUrl()).replace(/\/$/, '');
    this.#signingKey = options.signingKey;
  }

  /** The file behind `key`, or `STORAGE_BAD_KEY` if the key could escape the bucket directory. */
  pathOf(key: string): string {
    const path = resolve(this.#root, key);
    if (!isPlainKey(key) || !path.startsWith(this.#root + sep)) {
      throw new TracksError('STORAGE_BAD_KEY', `Object key ${JSON.stringify(key)} is not a plain relative key.`, { data: { key } });
    }
    return path;
  }

  async get(key: string, range?: ByteRangeRequest) {
    const path = await this.#realObjectPath(key);
    // O_NOFOLLOW: a symlink swapped in after the check is refused by the kernel, not followed.
    const handle = path === undefined ? null : await open(path, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => null);
    const info = handle ? await handle.stat() : null;
    if (!handle || !info?.isFile()) {
      await handle?.close();
      throw new TracksError('STORAGE_NOT_FOUND', `No object ${key} in ${this.bucket}.`, { data: { bucket: this.bucket, key } });
    }
    if (!range) return { body: handle.createReadStream(), sizeBytes: info.size };
    const span = resolveRange(range, info.size);
    if (!span) {
      await handle.close();
      throw new TracksError('STORAGE_RANGE_UNSATISFIABLE', `No byte of ${key} in ${rangeHeaderOf(range)} (${info.size} bytes).`, {
        data: { bucket: this.bucket, key, totalBytes: info.size },
      });
    }
    return { body: handle.createReadStream({ start: span.start, end: span.end }), sizeBytes: span.end - span.start + 1, span };
  }

  /**
   * The object's path when it is a regular file reached without any symlink (in the key's own
   * segments or the bucket directory): a link planted in a bucket must not expose files
   * elsewhere. Null otherwise.
   */
  async #realObjectPath(key: string): Promise<string | undefined> {
    const path = this.pathOf(key);
    if (!(await this.#noLinks(path, key))) return undefined;
    const info = await lstat(path).catch(() => null);
    return info?.isFile() ? path : undefined;
  }

  /** True when `path` (the file or directory for `keyPath`) resolves inside the bucket without a symlink on the way. */
  async #noLinks(path: string, keyPath: string): Promise<boolean> {
    const [real, root] = await Promise.all([realpath(path).catch(() => null), realpath(this.#root).catch(() => null)]);
    return !!real && !!root && relative(root, real).split(sep).join('/') === keyPath;
  }

  async put(key: string, body: Readable | Uint8Array, _options: PutOptions = {}) {
    const path = this.pathOf(key);
    await mkdirPrivate(dirname(path));
    const folder = key.includes('/') ? key.slice(0, key.lastIndexOf('/')) : '';
    if (!(await this.#noLinks(dirname(path), folder)))
      throw new TracksError('STORAGE_BAD_KEY', `Object key ${JSON.stringify(key)} leads through a symlink.`, { data: { key } });
    const temp = `${path}.${randomUUID()}.partial`;
    try {
      await pipeline(body instanceof Uint8Array ? Readable.from([body]) : body, createWriteStream(temp, { mode: PRIVATE_FILE_MODE }));
      await rename(temp, path);
    } catch (cause) {
      await rm(temp, { force: true });
      throw new TracksError('STORAGE_FAILED', `Could not store ${key} in ${this.bucket}: ${(cause as Error).message}`, { cause });
    }
    return { sizeBytes: (await stat(path)).size };
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const path = await this.#realObjectPath(key);
    const info = path === undefined ? null : await lstat(path).catch(() => null);
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

  async checkBucket(): Promise<void> {
    const info = await stat(this.#root).catch(() => null);
    if (!info?.isDirectory()) throw new TracksError('STORAGE_FAILED', `bucket ${this.bucket}: directory ${this.#root} does not exist`);
  }

  async presignGet(key: string, expiresSec: number): Promise<string> {
    this.pathOf(key);
    const expires = Math.floor(Date.now() / 1000) + expiresSec;
    const signature = sign(this.#signingKey, this.bucket, key, expires);
    return `${this.#publicUrl()}/v1/objects/${encodeURIComponent(this.bucket)}/${key.split('/').map(encodeURIComponent).join('/')}?expires=${expires}&signature=${signature}`;
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
