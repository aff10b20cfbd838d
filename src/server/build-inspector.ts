/**
 * `serve` on a fresh clone serves the inspector with no extra step: when its build is missing it
 * is built once at start (Vite, ~2 s; a dev dependency, so a production install without it gets a
 * clear log line and /debugger/ says how to build it). Built into a temporary folder and renamed
 * into place, so two services starting at once do not serve half a build.
 */
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Log } from '../log.ts';

const CONFIG = fileURLToPath(new URL('../../web-debugger/vite.config.ts', import.meta.url));

export const ensureInspectorBuilt = async (dist: string, log: Log): Promise<boolean> => {
  if (await stat(join(dist, 'index.html')).catch(() => null)) return true;
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    log({
      level: 'warn',
      msg: 'the inspector is not built and Vite (a dev dependency) is not installed: run `npm run build:debugger` where it is; /debugger/ answers NOT_BUILT',
    });
    return false;
  }
  const started = performance.now();
  const temp = await mkdtemp(join(dirname(dist), '.dist-'));
  try {
    await vite.build({ configFile: CONFIG, logLevel: 'error', build: { outDir: temp, emptyOutDir: true } });
    if (!(await stat(join(dist, 'index.html')).catch(() => null))) {
      await rm(dist, { recursive: true, force: true });
      await rename(temp, dist);
    }
    log({ msg: 'inspector built on first start', dist, ms: Math.round(performance.now() - started) });
    return true;
  } catch (error) {
    log({ level: 'warn', msg: 'building the inspector failed; /debugger/ answers NOT_BUILT', error: (error as Error).message });
    return false;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
};
