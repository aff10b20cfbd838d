/**
 * Embedded data stays private (issue 24), whatever the umask: a child process under umask 022
 * starts the service on PGlite and local storage and writes objects; every folder under the
 * DATA_DIR it made is 0700 and every file 0600 — PGlite's own files excepted, which it makes 0666
 * regardless, behind its 0700 folder. An existing DATA_DIR keeps its mode; our folders an earlier
 * version left open are tightened, with a warning.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedEmptyPglite } from '../helpers/databases.ts';
import { tsScriptArgs } from '../helpers/node-script.ts';

const CHILD = fileURLToPath(new URL('./data-dir-child.ts', import.meta.url));
const temps: string[] = [];
afterEach(async () => {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});

const runChild = (dataDir: string) =>
  new Promise<Array<Record<string, unknown>>>((resolve, reject) =>
    execFile(process.execPath, [...tsScriptArgs(CHILD), dataDir], { timeout: 120_000 }, (error, stdout, stderr) =>
      error
        ? reject(new Error(`${error.message}\n${stderr}`))
        : resolve(
            stdout
              .trim()
              .split('\n')
              .filter(Boolean)
              .map((l) => JSON.parse(l)),
          ),
    ),
  );
const modeOf = async (path: string) => ((await stat(path)).mode & 0o777).toString(8).padStart(4, '0');

/** Every entry under `root` with its mode, PGlite's files left out (their folder is what counts). */
const walk = async (root: string) => {
  const modes: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const rel = relative(root, path);
    if (rel.startsWith('pglite/')) continue;
    modes[rel] = `${entry.isDirectory() ? 'dir' : 'file'} ${await modeOf(path)}`;
  }
  return modes;
};

describe('embedded data under umask 022', () => {
  it('makes DATA_DIR 0700, its folders 0700 and its files 0600', async () => {
    const base = await mkdtemp(join(tmpdir(), 'rt-private-'));
    temps.push(base);
    const dataDir = join(base, 'data');
    await runChild(dataDir);
    expect(await modeOf(dataDir)).toBe('0700');
    const modes = await walk(dataDir);
    expect(modes).toMatchObject({
      pglite: 'dir 0700',
      objects: 'dir 0700',
      'objects/transcripts': 'dir 0700',
      'objects/transcripts/t1': 'dir 0700',
      'objects/transcripts/t1/tracks': 'dir 0700',
      'objects/transcripts/t1/audio.mp3': 'file 0600',
      'objects/transcripts/t1/tracks/a.webm': 'file 0600',
      'objects/.url-signing-key': 'file 0600',
      '.link-signing-key': 'file 0600',
    });
    const open = Object.entries(modes).filter(([, mode]) => mode !== 'dir 0700' && mode !== 'file 0600');
    expect(open).toEqual([]);
  });

  it('keeps the mode of an existing DATA_DIR and tightens the folders and keys an earlier version left open, with a warning', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'rt-private-'));
    temps.push(dataDir);
    // An earlier version's embedded database (empty): the first test has PGlite make one from nothing.
    await seedEmptyPglite(dataDir);
    await mkdir(join(dataDir, 'objects', 'transcripts'), { recursive: true });
    await writeFile(join(dataDir, 'objects', '.url-signing-key'), 'an-earlier-key\n');
    for (const [path, mode] of [
      ['', 0o755],
      ['pglite', 0o777],
      ['objects', 0o755],
      ['objects/transcripts', 0o755],
      ['objects/.url-signing-key', 0o644],
    ] as const)
      await chmod(join(dataDir, path), mode);
    const logs = await runChild(dataDir);
    expect(await modeOf(dataDir)).toBe('0755');
    expect(await walk(dataDir)).toMatchObject({
      pglite: 'dir 0700',
      objects: 'dir 0700',
      'objects/transcripts': 'dir 0700',
      'objects/.url-signing-key': 'file 0600',
    });
    const warned = logs.filter((l) => l.msg === 'data folder was open to other users; tightened').map((l) => [relative(dataDir, l.path as string), l.from]);
    expect(warned).toEqual(
      expect.arrayContaining([
        ['pglite', '0777'],
        ['objects', '0755'],
        ['objects/transcripts', '0755'],
        ['objects/.url-signing-key', '0644'],
      ]),
    );
    expect(logs.every((l) => l.level !== 'error')).toBe(true);
  });
});
