/**
 * Node edge of the prober: a file on disk, read in place.
 */
import { open } from 'node:fs/promises';
import { FilePathSource } from 'mediabunny';
import { TracksError } from '../errors.ts';
import { probeMedia, type ProbeOptions, type ProbeResult } from './probe-media.ts';

export const probeFile = async (file: string, path: string, options: Omit<ProbeOptions, 'head'> = {}): Promise<ProbeResult> => {
  let head: ProbeOptions['head'];
  try {
    const handle = await open(path, 'r');
    try {
      const { bytesRead, buffer } = await handle.read(new Uint8Array(64), 0, 64, 0);
      head = { bytes: buffer.subarray(0, bytesRead), sizeBytes: (await handle.stat()).size };
    } finally {
      await handle.close();
    }
  } catch (cause) {
    throw new TracksError('MEDIA_UNREADABLE', `${file}: cannot open ${path} (${(cause as Error).message}).`, { cause, data: { file, path } });
  }
  return probeMedia(file, new FilePathSource(path), { ...options, head });
};
