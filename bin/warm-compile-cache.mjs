#!/usr/bin/env node
// Run by `npm ci` / `npm install` (package.json "prepare"): loads every CLI command's modules and
// the engine worker's once, with the compile cache on (bin/compile-cache.mjs), so the first
// command after an install starts as fast as later ones. Loads code only: nothing is started,
// opened or written besides the cache. A failure here never fails the install.
try {
  const { enableProjectCompileCache, nodeRunsTypeScript } = await import('./compile-cache.mjs');
  if (nodeRunsTypeScript()) {
    const directory = enableProjectCompileCache();
    if (directory) {
      const started = performance.now();
      const { COMMANDS } = await import('../src/cli/main.ts');
      for (const command of COMMANDS) await command.load();
      // What the engine's worker threads import (workers/ffmpeg-worker.mjs itself only runs in a worker).
      await Promise.all([
        import('../workers/output-devices.mjs'),
        import('../src/speech/wav-speech.ts'),
        import('../src/speech/fvad.ts'),
        import('../src/engine/log-buffer.js'),
      ]);
      const { flushCompileCache } = await import('node:module');
      flushCompileCache?.();
      console.log(`reflector-tracks: compile cache warmed in ${directory} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }
  }
} catch (error) {
  console.warn(
    `reflector-tracks: compile cache not warmed (${error instanceof Error ? error.message : String(error)}); the first command will start a little slower.`,
  );
}
