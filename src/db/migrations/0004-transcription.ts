/**
 * Transcription (issue 13): the words have their own state beside the audio's, so a failed
 * transcription never touches the audio or the raw-deletion rules, and can be retried alone.
 * - transcripts.transcription_status: none (no transcriber) | pending | running | ready | failed,
 *   with its error and when it last changed;
 * - language, segment list (what GET /v1/transcripts/:id returns) and word count; the words
 *   themselves are `<id>/transcript.json` in the transcript bucket.
 */
import type { Kysely } from 'kysely';
import { runStatements } from './statements.ts';

export const up = async (db: Kysely<unknown>): Promise<void> => {
  await runStatements(
    db,
    `
    alter table transcripts add column transcription_status text not null default 'none'
      check (transcription_status in ('none', 'pending', 'running', 'ready', 'failed'));
    alter table transcripts add column transcription_error text;
    alter table transcripts add column transcription_changed_at timestamptz;
    alter table transcripts add column language text;
    alter table transcripts add column segments jsonb;
    alter table transcripts add column word_count int4;
  `,
  );
};

export const down = async (db: Kysely<unknown>): Promise<void> => {
  await runStatements(
    db,
    `
    alter table transcripts drop column word_count;
    alter table transcripts drop column segments;
    alter table transcripts drop column language;
    alter table transcripts drop column transcription_changed_at;
    alter table transcripts drop column transcription_error;
    alter table transcripts drop column transcription_status;
  `,
  );
};
