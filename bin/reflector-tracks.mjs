#!/usr/bin/env node
// The CLI entry. Node ≥ 22.18 runs the TypeScript sources as they are (type stripping; tsconfig's
// erasableSyntaxOnly keeps every file strippable), so neither a build step nor a loader sits
// between a checkout and a working command. Older Node (20, past its end of life) still runs
// it through tsx, so a machine that has not moved yet is not locked out.
const { enableProjectCompileCache, nodeRunsTypeScript } = await import('./compile-cache.mjs');
if (!nodeRunsTypeScript()) {
  const { register } = await import('tsx/esm/api');
  register();
}
// Compiled modules kept between runs (bin/compile-cache.mjs).
enableProjectCompileCache();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
