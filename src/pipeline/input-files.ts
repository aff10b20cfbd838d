/**
 * Input files on disk before the pipeline: whether a path can be read at all, and the dropped
 * files sorted (the CLI's inputs): Daily's event JSON, recognised by content (sort-inputs.ts, the
 * one sorter of the CLI and the inspector), goes to the timeline's options, the rest are media.
 */
import { constants } from 'node:fs';
import { access, open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { TimelineOptions } from '../timeline/build-timeline.ts';
import { sortInputs } from './sort-inputs.ts';

/** Why `path` cannot be read as an input file, or null when it can. */
export const unreadableReason = async (path: string): Promise<string | null> => {
  try {
    if ((await stat(path)).isDirectory()) return 'is a folder';
    await access(path, constants.R_OK);
    return null;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') return /[*?[]/.test(path) ? 'no file matches this pattern' : 'no such file';
    if (code === 'EACCES' || code === 'EPERM') return 'not readable (permission denied)';
    return `cannot be read (${code ?? (error as Error).message})`;
  }
};

/** Daily's event JSON among the paths (recognised by content) goes to the timeline, the rest are media. */
export const sortInputFiles = async (paths: readonly string[], options: TimelineOptions): Promise<{ media: string[]; options: TimelineOptions }> => {
  return sortInputs(paths, options, async (path) => ({
    file: basename(path),
    // Unreadable inputs are media here: their probe says why they are skipped.
    sizeBytes: await stat(path).then(
      (s) => (s.isFile() ? s.size : Number.POSITIVE_INFINITY),
      () => Number.POSITIVE_INFINITY,
    ),
    head: async () => {
      const handle = await open(path, 'r');
      try {
        const { buffer, bytesRead } = await handle.read(new Uint8Array(16), 0, 16, 0);
        return buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
    text: () => readFile(path, 'utf8'),
  }));
};
