/**
 * Synthesized test media kept by content: a directory per key, the key a SHA-256 of what the
 * generator is given (its spec, as JSON) and of the generator's own code and inputs (source files,
 * speech clips, the wasm core's manifest), so any change to one of them makes new media and a run
 * never reads media an older generator made. A directory appears whole or not at all (made under a
 * temporary name, then renamed), so processes that need the same media at once never read half of
 * it; the loser of that race drops its copy.
 *
 * The cache lives in the user's cache folder (`$XDG_CACHE_HOME` or ~/.cache, reflector-tracks/
 * test-media, beside the Node .ci/run installs there), so a fresh clone or worktree on the same
 * machine finds what another made: being keyed by content, nothing an older generator made is
 * ever read. test/global-setup.ts prunes what no run used for a week. Tests never write into it:
 * they get a copy in their own temporary directory (`copyCached`), as when each made its own media.
 */
import { createHash, randomUUID } from 'node:crypto';
import { cp, mkdir, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The cache root; `TEST_MEDIA_CACHE_DIR` (set by the global setup for every test process) overrides. */
export const mediaCacheRoot = (): string =>
  process.env.TEST_MEDIA_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'reflector-tracks', 'test-media');

/** Files any synthesized media depends on: the engine core (its manifest names version and hashes). */
const ENGINE_FILES = [new URL('../../wasm/manifest.json', import.meta.url)];

/** A key for `spec` made by generators whose code and inputs are `files`. */
export const mediaKey = async (kind: string, spec: unknown, files: readonly URL[]): Promise<string> => {
  const hash = createHash('sha256').update(kind).update('\0').update(JSON.stringify(spec));
  for (const file of [...ENGINE_FILES, ...files]) hash.update('\0').update(await readFile(file));
  return `${kind}-${hash.digest('hex').slice(0, 32)}`;
};

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/**
 * The directory holding the media for `key`, made by `make(dir)` when the cache has none. Its
 * mtime marks it used by this run (the global setup prunes directories no run used for a while).
 */
export const cachedMedia = async (key: string, make: (dir: string) => Promise<void>): Promise<string> => {
  const root = mediaCacheRoot();
  const dir = `${root}${root.endsWith('/') ? '' : '/'}${key}`;
  if (!(await exists(dir))) {
    const partial = `${dir}.partial-${process.pid}-${randomUUID()}`;
    await mkdir(partial, { recursive: true });
    try {
      await make(partial);
      await rename(partial, dir).catch(async (error: NodeJS.ErrnoException) => {
        // Another process finished the same media first: keep its copy.
        if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
      });
    } finally {
      await rm(partial, { recursive: true, force: true });
    }
  }
  const now = new Date();
  await utimes(dir, now, now);
  return dir;
};

/** A private copy of a cached directory for one test file to use and change as it likes. */
export const copyCached = async (cached: string, into: string): Promise<void> => {
  await cp(cached, into, { recursive: true });
};
