/**
 * The embedded data stays private (issue 24): the embedded database's WAL holds object keys and
 * API key hashes, and `pg_control` decides whether it starts at all. Every folder the project
 * makes under `DATA_DIR` is 0700 and every file 0600, whatever the umask (a mode passed to mkdir
 * or open is only ever narrowed by the umask). PGlite writes its own files 0666 regardless, so its
 * folder's mode is what protects them. A `DATA_DIR` that already exists (a mounted volume, say)
 * keeps its own mode: the operator chose it. Folders of ours inside it that an earlier version
 * left open to others are tightened at start, with a warning.
 */
import { chmod, mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and any missing parent) 0700; an existing folder is left as it is. */
export const mkdirPrivate = (dir: string) => mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });

/** What the project keeps in DATA_DIR: the embedded database, local object storage, work folders, signing keys. */
const OWN_FOLDERS = ['pglite', 'objects', 'work'];
const OWN_FILES = ['.link-signing-key', 'objects/.url-signing-key'];

/**
 * Tightens what an earlier version left open inside an existing `dataDir` (nothing is created
 * here: each part makes its own folder with mkdirPrivate): our folders to 0700, the bucket
 * folders of local storage too, our key files to 0600. `warn` hears of each one tightened.
 */
export const tightenDataDir = async (dataDir: string, warn: (event: Record<string, unknown>) => void): Promise<void> => {
  const tighten = async (path: string, mode: number, isDir: boolean) => {
    const info = await stat(path).catch(() => null);
    if (!info || info.isDirectory() !== isDir || (info.mode & 0o077) === 0) return;
    await chmod(path, mode);
    warn({
      level: 'warn',
      msg: 'data folder was open to other users; tightened',
      path,
      from: `0${(info.mode & 0o777).toString(8)}`,
      to: `0${mode.toString(8)}`,
    });
  };
  for (const folder of OWN_FOLDERS) await tighten(join(dataDir, folder), PRIVATE_DIR_MODE, true);
  for (const bucket of await readdir(join(dataDir, 'objects'), { withFileTypes: true }).catch(() => []))
    if (bucket.isDirectory()) await tighten(join(dataDir, 'objects', bucket.name), PRIVATE_DIR_MODE, true);
  for (const file of OWN_FILES) await tighten(join(dataDir, file), PRIVATE_FILE_MODE, false);
};
