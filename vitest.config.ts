import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Real wasm ffmpeg in worker threads: commands take seconds, not milliseconds.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Each file starts its own engine pool; two files at a time keep a 2-core machine busy without thrashing.
    pool: 'forks',
    maxWorkers: 2,
  },
});
