/**
 * The layering the README states, enforced: every relative import in `src/` goes to the same or a
 * lower layer, so the pure core never loads the service and adapters never reach up.
 */
import { describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const LAYERS = [
  ['errors.ts', 'log.ts', 'defaults.ts', 'types'],
  ['engine', 'probe', 'speech', 'timeline', 'mix'],
  ['pipeline', 'transcription'],
  ['db', 'storage', 'jobs'],
  ['recordings'],
  ['auth', 'platforms'],
  ['processing'],
  ['config', 'server', 'demo', 'doctor'],
  ['cli'],
];
const rank = new Map(LAYERS.flatMap((names, i) => names.map((n) => [n, i] as const)));
const layerOf = (path: string) => relative(SRC, path).split(sep)[0]!;

describe('layers', () => {
  it('lets no import in src/ run up a layer', async () => {
    const files = (await readdir(SRC, { recursive: true })).filter((f) => f.endsWith('.ts')).map((f) => join(SRC, f));
    const upward: string[] = [];
    for (const file of files) {
      expect(rank.has(layerOf(file)), `${relative(SRC, file)} is in no layer of the README`).toBe(true);
      for (const [, spec] of (await readFile(file, 'utf8')).matchAll(/from '(\.[^']+)'/g)) {
        const target = resolve(dirname(file), spec!);
        if (!target.startsWith(SRC)) continue;
        if (rank.get(layerOf(target))! > rank.get(layerOf(file))!) upward.push(`${relative(SRC, file)} → ${spec}`);
      }
    }
    expect(upward).toEqual([]);
  });
});
