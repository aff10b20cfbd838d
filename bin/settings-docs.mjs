#!/usr/bin/env node
// `npm run docs:settings`: writes the settings table (src/config/settings-table.ts) into the README
// between its settings markers and into .env.example. test/config/settings-table.test.ts fails
// until this has been run after a setting changed.
import { readFile, writeFile } from 'node:fs/promises';

const { envExample, settingsMarkdown } = await import('../src/config/settings-table.ts');
const { README_MARKERS } = await import('../src/config/settings-docs.ts');
const readme = new URL('../README.md', import.meta.url);
const text = await readFile(readme, 'utf8');
const [start, end] = README_MARKERS;
const from = text.indexOf(start);
const to = text.indexOf(end);
if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} section`);
await writeFile(readme, `${text.slice(0, from + start.length)}\n${settingsMarkdown()}\n${text.slice(to)}`);
await writeFile(new URL('../.env.example', import.meta.url), envExample());
console.log('wrote the settings table into README.md and .env.example');
