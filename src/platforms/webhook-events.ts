/**
 * The `webhook_events` ledger both platforms share: one row per delivered event id (dedupe),
 * the sanitized payload, the body's hash and — when the payload had to be sanitized — the exact
 * bytes. Handlers write the row and its effects in one transaction, so a delivery that fails
 * leaves nothing behind and its redelivery does the work.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, Platform, WebhookStatus } from '../db/schema.ts';
import type { WebhookBody } from './webhook-body.ts';

export type WebhookOutcome = 'test' | 'not-configured' | 'unauthorized' | 'duplicate' | 'invalid' | 'enqueued' | 'recorded' | 'ignored';
export type WebhookAnswer = { status: 200 | 401 | 503; outcome: WebhookOutcome; type: string; body: Record<string, unknown> };

export const answer = (outcome: WebhookOutcome, type: string, extra: Record<string, unknown> = {}): WebhookAnswer => ({ status: 200, outcome, type, body: { ok: true, ...extra } });

/** Event ids longer than this are not ids; the body's hash stands in. */
const MAX_EVENT_ID_CHARS = 200;

export const eventIdOf = (candidate: unknown, body: WebhookBody): string =>
  typeof candidate === 'string' && candidate.length > 0 && candidate.length <= MAX_EVENT_ID_CHARS ? candidate : `sha256:${body.sha256}`;

export const eventTypeOf = (candidate: unknown): string => (typeof candidate === 'string' && candidate ? candidate.slice(0, 100) : 'unknown');

/** Inserts the event; null when this platform already has that event id (a redelivery). */
export const recordWebhookEvent = async (
  db: Kysely<Database> | Transaction<Database>,
  row: { platform: Platform; eventId: string; type: string; body: WebhookBody; status?: WebhookStatus; error?: string | null },
): Promise<{ id: string; settle(status: WebhookStatus, error?: string | null): Promise<void> } | null> => {
  const problems = row.body.problems.length ? `sanitized: ${row.body.problems.join('; ')}` : null;
  const error = [row.error, problems].filter(Boolean).join(' — ') || null;
  const inserted = await db
    .insertInto('webhook_events')
    .values({ platform: row.platform, event_id: row.eventId, type: row.type, payload: row.body.payload, status: row.status ?? 'received', error, body_sha256: row.body.sha256, raw_body: row.body.rawKept })
    .onConflict((oc) => oc.columns(['platform', 'event_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return null;
  return {
    id: inserted.id,
    settle: async (status, settleError = null) => {
      await db.updateTable('webhook_events').set({ status, error: [settleError, problems].filter(Boolean).join(' — ') || null }).where('id', '=', inserted.id).execute();
    },
  };
};
