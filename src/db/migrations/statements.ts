/**
 * Migrations are written as one SQL text but run statement by statement: Kysely's PGlite driver
 * sends every query through the extended protocol, which takes one statement at a time (so does
 * pg with parameters). Statements are split at `;` ending a line; none of ours has one inside.
 */
import { sql, type Kysely } from 'kysely';

export const runStatements = async (db: Kysely<unknown>, text: string): Promise<void> => {
  for (const statement of text
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.replace(/--.*$/gm, '').trim())) {
    await sql.raw(statement).execute(db);
  }
};
