/**
 * A random signing key kept in a file (mode 0600, its folder 0700 when made here) so that what it signed — presigned object
 * URLs, inspector links — survives restarts. Several servers sharing one deployment set the
 * key through the environment instead (OBJECT_URL_SECRET).
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { mkdirPrivate, PRIVATE_FILE_MODE } from './private-dir.ts';

export const secretFromFile = async (file: string): Promise<string> => {
  const existing = await readFile(file, 'utf8').catch(() => null);
  if (existing?.trim()) return existing.trim();
  const key = randomBytes(32).toString('base64url');
  await mkdirPrivate(dirname(file));
  // 'wx': two processes starting at once keep the first key rather than each their own.
  await writeFile(file, `${key}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' }).catch(() => {});
  return (await readFile(file, 'utf8')).trim();
};
