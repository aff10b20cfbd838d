/**
 * The walk behind the "one home" structure tests (state-writes, queue-sql): what a finder matches
 * in each file of `src/`, split into the matches outside the allowed modules (the failures) and
 * the count in each allowed one (so a test also sees that its patterns match the code as written).
 * Migrations (schema changes) are the exception everywhere.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

export const matchesOutside = async (homes: ReadonlySet<string>, find: (text: string) => string[]) => {
  const files = (await readdir(SRC, { recursive: true })).filter((f) => f.endsWith('.ts')).map((f) => relative(SRC, join(SRC, f)).split(sep).join('/'));
  const outside: string[] = [];
  const inHomes = new Map<string, number>();
  for (const file of files) {
    if (file.startsWith('db/migrations/')) continue;
    const found = find(await readFile(join(SRC, file), 'utf8'));
    if (homes.has(file)) inHomes.set(file, found.length);
    else outside.push(...found.map((match) => `${file}: ${match}`));
  }
  return { outside, inHomes };
};
