#!/usr/bin/env node
// The CLI entry. Node ≥ 22.18 runs the TypeScript sources as they are (type stripping; tsconfig's
// erasableSyntaxOnly keeps every file strippable), so neither a build step nor a loader sits
// between a checkout and a working command.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(`reflector-tracks needs Node 22.18 or later (Node 24 LTS recommended); this is ${process.version}.\n`);
  process.exit(1);
}
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
