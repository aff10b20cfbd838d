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
    // A worker process now lives for the whole run, its engines' threads starting, tiering up and
    // ending over the one compiled core: once in about a dozen runs V8 (Node 24.22) aborted such a
    // process freeing dead wasm code ("Check failed: jit_page_->allocations_.erase(addr) == 1" in
    // ThreadIsolation::UnregisterWasmAllocation, reached from the wasm code GC). Test processes
    // keep their dead wasm code instead; they end with the run.
    execArgv: ['--no-wasm-code-gc'],
    // Many suites wait on services, browsers and child processes more than they compute, so one
    // file more than the two cores run at once; a fourth worker (its own engine, PGlite and
    // Chromium) cost more CPU than it filled (README "Tests").
    maxWorkers: 3,
  },
});
