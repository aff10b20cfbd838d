#!/usr/bin/env node
// The CLI entry. Node ≥ 22.18 runs the TypeScript sources as they are (type stripping; tsconfig's
// erasableSyntaxOnly keeps every file strippable), so neither a build step nor a loader sits
// between a checkout and a working command. Older Node (20, past its end of life) still runs
// it through tsx, so a machine that has not moved yet is not locked out.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  const { register } = await import('tsx/esm/api');
  register();
}
// Node's compile cache (os.tmpdir()/node-compile-cache, or NODE_COMPILE_CACHE) keeps compiled and
// type-stripped modules between runs: `--help` 0.23 → 0.08 s, `inspect` of a 4 × 60-min meeting
// 0.89 → 0.72 s (measured; the README's Performance section). Node < 22.1 has no such API.
// Set in the environment too, so the engine's worker threads (which load the speech modules) use it.
const { enableCompileCache } = await import('node:module');
if (enableCompileCache) {
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  process.env.NODE_COMPILE_CACHE ??= join(tmpdir(), 'node-compile-cache');
  enableCompileCache(process.env.NODE_COMPILE_CACHE);
}
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
