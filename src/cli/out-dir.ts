/**
 * The `--out` folder of `process`: checked before any work, and after a run cleared of what an
 * earlier run of this tool wrote there and this one did not (a reused folder must not mix two
 * runs' tracks). Only the tool's own names are touched; anything else in the folder stays.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TracksError } from '../errors.ts';

/** The files a run writes at the top of `--out`, besides `tracks/*`. */
export const TOP_LEVEL_OUTPUTS = ['mixdown.mp3', 'timeline.json', 'transcript.json', 'transcript.vtt', 'transcript.srt', 'transcript.txt'];

/** Throws USAGE when `--out` names something that is not a folder (a missing one is created later). */
export const checkOutDir = async (dir: string): Promise<void> => {
  const found = await stat(dir).catch(() => null);
  if (found && !found.isDirectory()) throw new TracksError('USAGE', `--out ${dir} is a file, not a folder: give a folder (it is created when missing)`);
  const tracks = await stat(join(dir, 'tracks')).catch(() => null);
  if (tracks && !tracks.isDirectory())
    throw new TracksError('USAGE', `--out ${dir} holds a file named "tracks" where the renders go: move it, or give another folder`);
};

/** Removes the tool's outputs in `dir` that are not in `written` (paths relative to `dir`); returns what it removed. */
export const pruneEarlierOutputs = async (dir: string, written: ReadonlySet<string>): Promise<string[]> => {
  const tracks = await readdir(join(dir, 'tracks')).catch(() => [] as string[]);
  const stale = [...tracks.map((name) => `tracks/${name}`), ...TOP_LEVEL_OUTPUTS].filter((name) => !written.has(name));
  const removed: string[] = [];
  for (const name of stale) {
    const path = join(dir, name);
    if (!(await stat(path).catch(() => null))?.isFile()) continue;
    await rm(path, { force: true });
    removed.push(name);
  }
  return removed;
};
