/**
 * The command line's inputs as files: a recording folder stands for every file inside it, a path
 * that cannot be read stays in the list (the pipeline skips it and reports why, like any bad
 * track), and a list with nothing readable at all is a usage error naming each path.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TracksError } from '../errors.ts';
import { unreadableReason } from '../pipeline/input-files.ts';
import { parseDailyTrackName } from '../timeline/daily-track-name.ts';

/** A folder's files (not its sub-folders or hidden files), sorted; refused when they come from several Daily recordings. */
const folderFiles = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  if (files.length === 0) throw new TracksError('USAGE', `${dir} is a folder with no files in it: give a recording's folder or its files`);
  const byRecording = new Map<number, string[]>();
  for (const name of files) {
    const daily = parseDailyTrackName(name);
    if (daily) byRecording.set(daily.recordingStartMs, [...(byRecording.get(daily.recordingStartMs) ?? []), name]);
  }
  if (byRecording.size > 1) {
    const list = [...byRecording].map(([startMs, names]) => `${startMs} (${names.length} file${names.length > 1 ? 's' : ''}, e.g. ${names[0]})`).join(', ');
    throw new TracksError(
      'USAGE',
      `${dir} holds tracks of ${byRecording.size} recordings, by their names' recording starts: ${list}; give the files of one recording`,
    );
  }
  return files.map((name) => join(dir, name));
};

/** Folders expanded to their files; throws USAGE when no input at all can be read. */
export const inputPaths = async (positionals: readonly string[]): Promise<string[]> => {
  if (positionals.length === 0) throw new TracksError('USAGE', 'give at least one input file or recording folder');
  const paths: string[] = [];
  const problems: string[] = [];
  for (const path of positionals) {
    const isFolder = await stat(path).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (isFolder) {
      paths.push(...(await folderFiles(path)));
      continue;
    }
    const reason = await unreadableReason(path);
    if (reason) problems.push(`${path}: ${reason}`);
    paths.push(path);
  }
  if (problems.length === paths.length) throw new TracksError('USAGE', `no input can be read: ${problems.join('; ')}`);
  return paths;
};
