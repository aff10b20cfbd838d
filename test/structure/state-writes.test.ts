/**
 * One state machine, written in one place (issue 27): the rows that carry the recording, transcript
 * and transcription states — `recordings`, `transcripts`, `tracks` — are inserted, updated and
 * deleted only by the state modules of `src/recordings/`: `recording-states.ts` (the state machine),
 * `recording-rows.ts` (the rows on first sight), `deletion-states.ts` (the tombstone) and
 * `transcription-states.ts` (the words').
 * Everything else calls their transitions (commitOutputs, markProcessed, resetForReprocess,
 * markDeleted, markWordsReady, …). Migrations (schema changes) are the exception.
 */
import { describe, expect, it } from 'vitest';
import { matchesOutside } from './one-home.ts';

const STATE_MODULES = new Set([
  'recordings/recording-states.ts',
  'recordings/recording-rows.ts',
  'recordings/deletion-states.ts',
  'recordings/transcription-states.ts',
]);
const TABLES = '(?:recordings|transcripts|tracks)';
/** Kysely's writers, and the same in SQL text. */
const WRITES = [
  new RegExp(`\\b(?:updateTable|insertInto|deleteFrom)\\(\\s*['"\`]${TABLES}['"\`]`, 'g'),
  new RegExp(`\\b(?:update|insert\\s+into|delete\\s+from)\\s+${TABLES}\\b(?!\\.)`, 'gi'),
];

const writesIn = (text: string) => WRITES.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[0]));

describe('state writes', () => {
  it('finds the writes it looks for', () => {
    expect(writesIn(`await tx.updateTable('recordings').set({ status: 'processed' })`)).toHaveLength(1);
    expect(writesIn(`db.insertInto("tracks").values(rows); db.deleteFrom('transcripts')`)).toHaveLength(2);
    expect(writesIn("sql`update transcripts set status = 'ready'`")).toHaveLength(1);
    expect(writesIn(`db.selectFrom('recordings').where('status', '=', 'deleted'); updateTable('webhook_events')`)).toEqual([]);
  });

  it('lets only the state modules write recordings, transcripts and tracks', async () => {
    const { outside, inHomes } = await matchesOutside(STATE_MODULES, writesIn);
    expect(outside).toEqual([]);
    // And they do write them (the patterns match the code as written).
    for (const file of STATE_MODULES) expect(inHomes.get(file), file).toBeGreaterThan(0);
  });
});
