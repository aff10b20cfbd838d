/**
 * Once per test run:
 * - a temporary directory of the run's own, made the temporary directory of every test worker and
 *   every process they start (TMPDIR, which os.tmpdir() reads; the forks are started after this
 *   setup, with its environment), and removed at the end, whatever a suite left in it — so `npm
 *   test` leaves nothing in the machine's temporary directory, however a suite ends;
 * - the inspector built into it, shared by every browser suite (building it per suite copied the
 *   32 MB core three times over);
 * - an id naming the run's PostgreSQL databases (test/helpers/databases.ts), dropped at the end
 *   whatever state a worker left them in;
 * - the fixture meeting (test/helpers/fixture-meeting.ts), made once, or found in the media cache
 *   (test/helpers/media-cache.ts), instead of by every suite that uses it; media the cache holds
 *   that no run used for a week is removed at the end.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { build } from 'vite';
import { createNodeEngine } from '../src/engine/node-engine.ts';
import { dropRunDatabases } from './helpers/databases.ts';
import { fixtureMeetingKey, writeFixtureMeeting } from './helpers/fixture-meeting.ts';
import { cachedMedia, mediaCacheRoot } from './helpers/media-cache.ts';

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
  // Names this run's PostgreSQL databases (test/helpers/databases.ts), all dropped at the end.
  const runId = randomBytes(4).toString('hex');
  process.env.TEST_RUN_ID = runId;
  const dist = await mkdtemp(join(runTmp, 'rt-inspector-dist-'));
  const [meetingDir] = await Promise.all([
    cachedMedia(await fixtureMeetingKey(), async (dir) => {
      const engine = await createNodeEngine({ workers: 2 });
      try {
        await writeFixtureMeeting(engine, dir);
      } finally {
        await engine.close();
      }
    }),
    build({
      configFile: fileURLToPath(new URL('../web-debugger/vite.config.ts', import.meta.url)),
      logLevel: 'error',
      build: { outDir: dist, emptyOutDir: true },
    }),
  ]);
  project.provide('inspectorDist', dist);
  project.provide('fixtureMeetingDir', meetingDir);
  return async () => {
    await dropRunDatabases(runId);
    await rm(runTmp, { recursive: true, force: true });
    await pruneMediaCache();
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

const MEDIA_UNUSED_MS = 7 * 24 * 3600_000;

/** Media no run used for a week (a generator changed since), and copies a killed run left half made. */
const pruneMediaCache = async () => {
  const root = mediaCacheRoot();
  const names = await readdir(root).catch(() => []);
  for (const name of names) {
    const path = join(root, name);
    const age = Date.now() - (await stat(path)).mtimeMs;
    if (age > MEDIA_UNUSED_MS || (name.includes('.partial-') && age > 3600_000)) await rm(path, { recursive: true, force: true });
  }
};
