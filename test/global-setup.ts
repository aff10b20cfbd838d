/**
 * Once per test run:
 * - a temporary directory of the run's own, made the temporary directory of every test worker and
 *   every process they start (TMPDIR, which os.tmpdir() reads; the forks are started after this
 *   setup, with its environment), and removed at the end, whatever a suite left in it — so `npm
 *   test` leaves nothing in the machine's temporary directory, however a suite ends;
 * - the inspector built into it, shared by every browser suite (building it per suite copied the
 *   32 MB core three times over).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { build } from 'vite';

declare module 'vitest' {
  export interface ProvidedContext {
    inspectorDist: string;
  }
}

export default async function setup(project: TestProject) {
  const machineTmp = tmpdir();
  const runTmp = await mkdtemp(join(machineTmp, 'rt-test-run-'));
  const before = new Set(await readdir(machineTmp));
  process.env.TMPDIR = runTmp;
  const dist = await mkdtemp(join(runTmp, 'rt-inspector-dist-'));
  await build({
    configFile: fileURLToPath(new URL('../web-debugger/vite.config.ts', import.meta.url)),
    logLevel: 'error',
    build: { outDir: dist, emptyOutDir: true },
  });
  project.provide('inspectorDist', dist);
  return async () => {
    await rm(runTmp, { recursive: true, force: true });
    // `rt-*` items that appeared in the machine's temporary directory meanwhile are named: a
    // process started with an environment of its own (no TMPDIR) would leave them. Not removed:
    // another run on the same machine (an older checkout) makes such folders there too.
    const appeared = (await readdir(machineTmp)).filter((name) => !before.has(name) && name.startsWith('rt-') && name !== basename(runTmp));
    if (appeared.length)
      console.warn(
        `${appeared.length} rt-* item(s) appeared in ${machineTmp} during the run (this run's, or another's on this machine): ${appeared.join(', ')}`,
      );
  };
}
