/**
 * The ObjectStore contract on the local directory store and on S3 (the fauxqs emulator, real
 * S3 wire protocol, started in-process).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { LocalObjectStore, verifyPresignedGet } from '../../src/storage/local-store.ts';
import { createS3Client, S3ObjectStore } from '../../src/storage/s3-store.ts';
import type { ObjectStore } from '../../src/storage/object-store.ts';

let fauxqs: FauxqsServer;
let localRoot: string;
const stores: Record<'local' | 's3', ObjectStore> = {} as never;

beforeAll(async () => {
  localRoot = await mkdtemp(join(tmpdir(), 'rt-objects-'));
  stores.local = new LocalObjectStore({ rootDir: localRoot, bucket: 'transcripts', publicUrl: 'http://localhost:8080/', signingKey: 'k' });
  fauxqs = await startFauxqs({ port: 0, logger: false });
  fauxqs.createBucket('transcripts');
  const client = createS3Client({ region: 'us-east-1', accessKeyId: 'test', secretAccessKey: 'test', endpoint: `http://127.0.0.1:${fauxqs.port}` });
  stores.s3 = new S3ObjectStore(client, 'transcripts');
});
afterAll(() => fauxqs?.stop());

/** A deterministic pseudo-random body of `size` bytes, streamed in uneven chunks. */
const body = (size: number, seed: number) => {
  const bytes = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
};
const chunked = (bytes: Uint8Array) =>
  Readable.from(
    (function* () {
      for (let at = 0, n = 1; at < bytes.length; at += n, n = (n * 7 + 65_537) % 1_000_003) yield Buffer.from(bytes.subarray(at, at + n));
    })(),
  );
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const readAll = async (stream: Readable) => {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return new Uint8Array(Buffer.concat(parts));
};

describe.each(['local', 's3'] as const)('%s object store', (kind) => {
  it('streams a multi-megabyte upload (multipart on S3) and reads it back byte-identical', async () => {
    const store = stores[kind];
    const bytes = body(21 * 1024 * 1024 + 17, 7); // > 2 parts of 8 MiB
    const put = await store.put('room/raw/1700000000000-aaaa-cam-audio-1700000000209', chunked(bytes));
    expect(put.sizeBytes).toBe(bytes.length);
    const got = await store.get('room/raw/1700000000000-aaaa-cam-audio-1700000000209');
    expect(got.sizeBytes).toBe(bytes.length);
    expect(sha(await readAll(got.body))).toBe(sha(bytes));
  });

  it('heads, lists by prefix across many objects, and deletes', async () => {
    const store = stores[kind];
    await store.put('list/a.mp3', new Uint8Array([1, 2, 3]), { contentType: 'audio/mpeg' });
    await store.put('list/b c.mp3', new Uint8Array([4]));
    await store.put('other/x', new Uint8Array([5]));
    expect(await store.head('list/a.mp3')).toMatchObject({ key: 'list/a.mp3', sizeBytes: 3, lastModified: expect.any(Date) });
    expect(await store.head('list/missing')).toBeNull();
    const listed: string[] = [];
    for await (const o of store.list('list/')) listed.push(o.key);
    expect(listed.sort()).toEqual(['list/a.mp3', 'list/b c.mp3']);
    await store.delete('list/a.mp3');
    await store.delete('list/never-existed');
    expect(await store.head('list/a.mp3')).toBeNull();
    await expect(store.get('list/a.mp3')).rejects.toMatchObject({ code: 'STORAGE_NOT_FOUND' });
  });

  it('reads one byte range (first-last, first-, the last N), and refuses a range past the end with the size', async () => {
    const store = stores[kind];
    const bytes = body(300_001, 3);
    await store.put('ranged/audio.webm', bytes);
    const cases = [
      [{ start: 1000, end: 1999 }, 1000, 1999],
      [{ start: 299_990 }, 299_990, 300_000],
      [{ start: 299_000, end: 400_000 }, 299_000, 300_000],
      [{ suffixBytes: 77 }, 299_924, 300_000],
      [{ suffixBytes: 400_000 }, 0, 300_000],
    ] as const;
    for (const [range, start, end] of cases) {
      const got = await store.get('ranged/audio.webm', range);
      expect(got.span, JSON.stringify(range)).toEqual({ start, end, totalBytes: bytes.length });
      expect(got.sizeBytes).toBe(end - start + 1);
      expect(sha(await readAll(got.body))).toBe(sha(bytes.subarray(start, end + 1)));
    }
    for (const range of [{ start: 300_001 }, { start: 500_000, end: 500_010 }])
      await expect(store.get('ranged/audio.webm', range), JSON.stringify(range)).rejects.toMatchObject({
        code: 'STORAGE_RANGE_UNSATISFIABLE',
        data: { totalBytes: bytes.length },
      });
    await expect(store.get('ranged/missing', { start: 0 })).rejects.toMatchObject({ code: 'STORAGE_NOT_FOUND' });
  });

  it('presigns a GET URL for the object', async () => {
    const store = stores[kind];
    await store.put('signed/x.mp3', new Uint8Array([9, 9]));
    const url = new URL(await store.presignGet('signed/x.mp3', 600));
    if (kind === 's3') {
      expect(url.searchParams.get('X-Amz-Expires')).toBe('600');
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array([9, 9]));
    } else {
      expect(url.pathname).toBe('/v1/objects/transcripts/signed/x.mp3');
      const expires = Number(url.searchParams.get('expires'));
      expect(verifyPresignedGet('k', 'transcripts', 'signed/x.mp3', expires, url.searchParams.get('signature')!)).toBe(true);
      expect(verifyPresignedGet('k', 'transcripts', 'signed/y.mp3', expires, url.searchParams.get('signature')!)).toBe(false);
      expect(verifyPresignedGet('k', 'transcripts', 'signed/x.mp3', expires, url.searchParams.get('signature')!, expires + 1)).toBe(false);
    }
  });
});

describe('local store safety', () => {
  it('never lets a key escape its directory', async () => {
    const store = stores.local as LocalObjectStore;
    for (const key of ['../../etc/x', '../transcripts-evil/x', '/etc/passwd', 'a/../../x', 'a/./b', 'a//b', 'x\0y', 'a\\..\\b', '']) {
      await expect(store.put(key, new Uint8Array([1])), key).rejects.toMatchObject({ code: 'STORAGE_BAD_KEY' });
      await expect(store.get(key), key).rejects.toMatchObject({ code: 'STORAGE_BAD_KEY' });
    }
    expect((await readdir(localRoot)).sort()).toEqual(['transcripts']);
  });

  it('never follows a symlink planted in a bucket, for a file or a folder, reading or writing', async () => {
    const root = await mkdtemp(join(tmpdir(), 'rt-links-'));
    const store = new LocalObjectStore({ rootDir: root, bucket: 'daily', publicUrl: 'http://x', signingKey: 'k' });
    await store.put('room/real', new Uint8Array([1, 2, 3]));
    const secret = join(root, 'secret.txt');
    await writeFile(secret, 'not yours');
    await mkdir(join(root, 'elsewhere'));
    await symlink(secret, join(root, 'daily', 'room', 'link-to-file'));
    await symlink(join(root, 'elsewhere'), join(root, 'daily', 'linked-folder'));
    await expect(store.get('room/link-to-file')).rejects.toMatchObject({ code: 'STORAGE_NOT_FOUND' });
    expect(await store.head('room/link-to-file')).toBeNull();
    await expect(store.put('linked-folder/x', new Uint8Array([9]))).rejects.toMatchObject({ code: 'STORAGE_BAD_KEY' });
    expect(await readdir(join(root, 'elsewhere'))).toEqual([]);
    const listed: string[] = [];
    for await (const o of store.list('')) listed.push(o.key);
    expect(listed).toEqual(['room/real']);
    // A bucket reached through a symlinked ancestor (e.g. DATA_DIR itself a link) still works.
    await symlink(root, `${root}-alias`);
    const aliased = new LocalObjectStore({ rootDir: `${root}-alias`, bucket: 'daily', publicUrl: 'http://x', signingKey: 'k' });
    expect((await aliased.head('room/real'))?.sizeBytes).toBe(3);
  });

  it('leaves nothing behind when an upload stream fails', async () => {
    const store = stores.local;
    const failing = new Readable({
      read() {
        this.destroy(new Error('network dropped'));
      },
    });
    await expect(store.put('broken/x', failing)).rejects.toMatchObject({ code: 'STORAGE_FAILED' });
    expect(await readdir(join(localRoot, 'transcripts', 'broken'))).toEqual([]);
  });
});
