/**
 * The layering the README states, enforced: every relative import in `src/` goes to the same or a
 * lower layer, so the pure core never loads the service and adapters never reach up; and no module
 * reaches itself again through its imports (type-only imports count: a circle of types is a circle
 * of meaning, issue 27).
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

const sourceFiles = async () => (await readdir(SRC, { recursive: true })).filter((f) => f.endsWith('.ts')).map((f) => join(SRC, f));
/** The files in src/ that `file` imports or re-exports from (`import type` too), as absolute paths. */
const importsOf = async (file: string): Promise<string[]> =>
  [...(await readFile(file, 'utf8')).matchAll(/(?:from|import) '(\.[^']+)'/g)]
    .map(([, spec]) => resolve(dirname(file), spec!))
    .filter((target) => target.startsWith(SRC));

/**
 * The import circles a depth-first walk of `graph` meets, each as the path that closes it
 * (`a → b → a`): one per back edge, so none exactly when the graph has no circle.
 */
const importCircles = (graph: ReadonlyMap<string, readonly string[]>): string[][] => {
  const circles: string[][] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (node: string) => {
    const at = path.indexOf(node);
    if (at >= 0) return void circles.push([...path.slice(at), node]);
    if (done.has(node)) return;
    path.push(node);
    for (const next of graph.get(node) ?? []) visit(next);
    path.pop();
    done.add(node);
  };
  for (const node of [...graph.keys()].sort()) visit(node);
  return circles;
};

describe('layers', () => {
  it('lets no import in src/ run up a layer', async () => {
    const upward: string[] = [];
    for (const file of await sourceFiles()) {
      expect(rank.has(layerOf(file)), `${relative(SRC, file)} is in no layer of the README`).toBe(true);
      for (const target of await importsOf(file)) {
        if (rank.get(layerOf(target))! > rank.get(layerOf(file))!) upward.push(`${relative(SRC, file)} → ${relative(SRC, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('has no import circle in src/, type-only imports included', async () => {
    const files = await sourceFiles();
    const graph = new Map(await Promise.all(files.map(async (file) => [file, await importsOf(file)] as const)));
    expect(importCircles(graph).map((circle) => circle.map((f) => relative(SRC, f)).join(' → '))).toEqual([]);
  });

  it('finds circles of any length, and none where imports only converge', () => {
    const circles = importCircles(
      new Map([
        ['a', ['b', 'd']],
        ['b', ['c']],
        ['c', ['a']],
        ['d', ['c']],
        ['e', ['e']],
      ]),
    );
    expect(circles).toEqual([
      ['a', 'b', 'c', 'a'],
      ['e', 'e'],
    ]);
    expect(
      importCircles(
        new Map([
          ['x', ['y', 'z']],
          ['y', ['z']],
          ['z', []],
        ]),
      ),
    ).toEqual([]);
  });
});
