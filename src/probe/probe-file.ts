/**
 * Node edge of the prober: a file on disk, read in place.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { FilePathSource } from 'mediabunny';
import { TracksError } from '../errors.ts';
import { fileByteReader } from './file-byte-reader.ts';
import { probeMedia, type ProbeOptions, type ProbeResult } from './probe-media.ts';

export const probeFile = async (file: string, path: string, options: Omit<ProbeOptions, 'reader'> = {}): Promise<ProbeResult> => {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (cause) {
    throw new TracksError('MEDIA_UNREADABLE', `${file}: cannot open ${path} (${(cause as Error).message}).`, { cause, data: { file, path } });
  }
  try {
    const reader = fileByteReader(handle, (await handle.stat()).size);
    return await probeMedia(file, new FilePathSource(path), { ...options, reader });
  } finally {
    await handle.close();
  }
};
