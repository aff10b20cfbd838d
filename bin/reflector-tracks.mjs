#!/usr/bin/env node
// The CLI entry. The sources are TypeScript run through tsx (a dependency), so no build step sits
// between a checkout and a working command.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
