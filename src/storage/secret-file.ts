/**
 * A random signing key kept in a file (mode 0600) so that what it signed — presigned object
 * URLs, inspector links — survives restarts. Several servers sharing one deployment set the
 * key through the environment instead (OBJECT_URL_SECRET).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export const secretFromFile = async (file: string): Promise<string> => {
  const existing = await readFile(file, 'utf8').catch(() => null);
  if (existing?.trim()) return existing.trim();
  const key = randomBytes(32).toString('base64url');
  await mkdir(dirname(file), { recursive: true });
  // 'wx': two processes starting at once keep the first key rather than each their own.
  await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' }).catch(() => {});
  return (await readFile(file, 'utf8')).trim();
};
