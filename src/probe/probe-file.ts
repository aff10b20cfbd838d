/**
 * Node edge of the prober: a file on disk, read in place.
 */
import { open } from 'node:fs/promises';
import { FilePathSource } from 'mediabunny';
import { TracksError } from '../errors.ts';
import type { ByteReader } from './byte-reader.ts';
import { probeMedia, type ProbeOptions, type ProbeResult } from './probe-media.ts';

export const probeFile = async (file: string, path: string, options: Omit<ProbeOptions, 'reader'> = {}): Promise<ProbeResult> => {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (cause) {
    throw new TracksError('MEDIA_UNREADABLE', `${file}: cannot open ${path} (${(cause as Error).message}).`, { cause, data: { file, path } });
  }
  try {
    const sizeBytes = (await handle.stat()).size;
    const reader: ByteReader = {
      sizeBytes,
      read: async (offset, length) => {
        const bytes = new Uint8Array(Math.max(0, Math.min(length, sizeBytes - offset)));
        const { bytesRead } = await handle.read(bytes, 0, bytes.length, offset);
        return bytes.subarray(0, bytesRead);
      },
    };
    return await probeMedia(file, new FilePathSource(path), { ...options, reader });
  } finally {
    await handle.close();
  }
};
