/**
 * Once per test run: the inspector built into a temporary directory, shared by every browser
 * suite (building it per suite copied the 32 MB core three times over).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { build } from 'vite';

declare module 'vitest' {
  export interface ProvidedContext {
    inspectorDist: string;
  }
}

export default async function setup(project: TestProject) {
  const dist = await mkdtemp(join(tmpdir(), 'rt-inspector-dist-'));
  await build({
    configFile: fileURLToPath(new URL('../web-debugger/vite.config.ts', import.meta.url)),
    logLevel: 'error',
    build: { outDir: dist, emptyOutDir: true },
  });
  project.provide('inspectorDist', dist);
  return () => rm(dist, { recursive: true, force: true });
}
