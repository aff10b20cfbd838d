/**
 * A ByteReader over an open Node file handle.
 *
 * `readChunk` reads into one buffer kept for the reader's life: a fresh 4 MB buffer per chunk of a
 * scan is fresh memory the kernel must fault in page by page, and on `inspect` of a 4 × 60-minute
 * meeting (47 MB) that was a third of the command's system time (page faults 26–32k → 18–24k,
 * 0.62–0.73 → 0.49–0.65 s, measured from the shell).
 */
import type { FileHandle } from 'node:fs/promises';
import type { ByteReader } from './byte-reader.ts';

export const fileByteReader = (handle: FileHandle, sizeBytes: number): ByteReader => {
  const readInto = async (offset: number, bytes: Uint8Array) => {
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, offset);
    return bytes.subarray(0, bytesRead);
  };
  const available = (offset: number, length: number) => Math.max(0, Math.min(length, sizeBytes - offset));
  let scratch = new Uint8Array(0);
  return {
    sizeBytes,
    read: (offset, length) => readInto(offset, new Uint8Array(available(offset, length))),
    readChunk: (offset, length) => {
      const n = available(offset, length);
      if (scratch.length < n) scratch = new Uint8Array(n);
      return readInto(offset, scratch.subarray(0, n));
    },
  };
};
