import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Real wasm ffmpeg in worker threads: commands take seconds, not milliseconds.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // A worker process runs its files one after another with the modules it has loaded and one
    // wasm engine (test/helpers/shared-engine.ts) instead of a new process, module graph and
    // engine per file. Suites keep no state between files: each makes its own folders, databases
    // and services, and ends them in afterAll.
    isolate: false,
    // Many suites wait on services, browsers and child processes more than they compute, so one
    // file more than the two cores run at once; a fourth worker (its own engine, PGlite and
    // Chromium) cost more CPU than it filled (README "Tests").
    maxWorkers: 3,
  },
});
