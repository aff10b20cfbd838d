/**
 * The queue's SQL has two homes and no others (issue 27): `src/jobs/queue.ts` (jobs in, found,
 * removed, requeued, counted) and `src/jobs/lease.ts` (claimed, kept, finished, released). Any
 * other module that needs a job calls them; migrations (schema changes) are the exception.
 */
import { describe, expect, it } from 'vitest';
import { matchesOutside } from './one-home.ts';

const QUEUE_MODULES = new Set(['jobs/queue.ts', 'jobs/lease.ts']);
/** Kysely's readers, writers and joins of the `jobs` table, and the same in SQL text. */
const QUERIES = [
  /\b(?:selectFrom|updateTable|insertInto|deleteFrom|innerJoin|leftJoin)\(\s*['"`]jobs['"`]/g,
  /\b(?:from|update|insert\s+into|delete\s+from|join)\s+jobs\b(?!\.)/gi,
];

const queriesIn = (text: string) => QUERIES.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[0]));

describe('queue SQL', () => {
  it('finds the queries it looks for', () => {
    expect(queriesIn(`db.selectFrom('jobs').selectAll(); tx.updateTable("jobs").set({})`)).toHaveLength(2);
    expect(queriesIn('sql`delete from jobs where id = 1`; sql`select 1 from recordings join jobs on true`')).toHaveLength(2);
    expect(queriesIn(`db.selectFrom('recordings'); // jobs.recording_id names it; a job's row`)).toEqual([]);
  });

  it('lets only queue.ts and lease.ts query the jobs table', async () => {
    const { outside, inHomes } = await matchesOutside(QUEUE_MODULES, queriesIn);
    expect(outside).toEqual([]);
    // And they do query it (the patterns match the code as written).
    for (const file of QUEUE_MODULES) expect(inHomes.get(file), file).toBeGreaterThan(0);
  });
});
