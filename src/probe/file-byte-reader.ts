/**
 * A ByteReader over an open Node file handle.
 */
import type { FileHandle } from 'node:fs/promises';
import type { ByteReader } from './byte-reader.ts';

export const fileByteReader = (handle: FileHandle, sizeBytes: number): ByteReader => ({
  sizeBytes,
  read: async (offset, length) => {
    const bytes = new Uint8Array(Math.max(0, Math.min(length, sizeBytes - offset)));
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, offset);
    return bytes.subarray(0, bytesRead);
  },
});
