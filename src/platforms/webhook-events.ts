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
/** Accepted (200, `body`), or refused (401, 503) with the API's error `code` and `message`. */
export type WebhookAnswer =
  | { status: 200; outcome: WebhookOutcome; type: string; body: Record<string, unknown> }
  | { status: 401 | 503; outcome: WebhookOutcome; type: string; error: { code: string; message: string } };

export const refuse = (status: 401 | 503, outcome: WebhookOutcome, code: string, message: string): WebhookAnswer => ({
  status,
  outcome,
  type: 'unknown',
  error: { code, message },
});

export const answer = (outcome: WebhookOutcome, type: string, extra: Record<string, unknown> = {}): WebhookAnswer => ({
  status: 200,
  outcome,
  type,
  body: { ok: true, ...extra },
});

/** Event ids longer than this are not ids; the body's hash stands in. */
const MAX_EVENT_ID_CHARS = 200;

export const eventIdOf = (candidate: unknown, body: WebhookBody): string =>
  typeof candidate === 'string' && candidate.length > 0 && candidate.length <= MAX_EVENT_ID_CHARS ? candidate : `sha256:${body.sha256}`;

export const eventTypeOf = (candidate: unknown): string => (typeof candidate === 'string' && candidate ? candidate.slice(0, 100) : 'unknown');

type Row = { platform: Platform; eventId: string; type: string; body: WebhookBody };

/** How an event is filed, and what the platform is told; `scrubbed`: its payload is not kept (it names a deleted recording). */
export type Verdict = { status: WebhookStatus; outcome: WebhookOutcome; error?: string | null; scrubbed?: boolean };

const insertEvent = (db: Kysely<Database> | Transaction<Database>, row: Row, verdict: Verdict) => {
  const problems = row.body.problems.length ? `sanitized: ${row.body.problems.join('; ')}` : null;
  const error = [verdict.error, problems].filter(Boolean).join(' — ') || null;
  return db
    .insertInto('webhook_events')
    .values({
      platform: row.platform,
      event_id: row.eventId,
      type: row.type,
      payload: verdict.scrubbed ? '{}' : row.body.payload,
      status: verdict.status,
      error,
      body_sha256: row.body.sha256,
      raw_body: verdict.scrubbed ? null : row.body.rawKept,
    })
    .onConflict((oc) => oc.columns(['platform', 'event_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
};

/** Files an event its effects do not apply to (unusable, ignored): one statement. */
export const fileEvent = async (db: Kysely<Database>, row: Row, verdict: Verdict): Promise<WebhookAnswer> =>
  (await insertEvent(db, row, verdict)) ? answer(verdict.outcome, row.type) : answer('duplicate', row.type, { duplicate: true });

const DUPLICATE = Symbol('duplicate delivery');

/**
 * Applies an event's effects and files it with their verdict in one transaction: the effects
 * first, the event row last (its status then final, no second write). A redelivered id finds
 * the row taken and rolls its effects back — dedupe without an extra read on every delivery.
 */
export const applyEvent = async (db: Kysely<Database>, row: Row, effects: (tx: Transaction<Database>) => Promise<Verdict>): Promise<WebhookAnswer> => {
  try {
    return await db.transaction().execute(async (tx) => {
      const verdict = await effects(tx);
      if (!(await insertEvent(tx, row, verdict))) throw DUPLICATE;
      return answer(verdict.outcome, row.type);
    });
  } catch (error) {
    if (error === DUPLICATE) return answer('duplicate', row.type, { duplicate: true });
    throw error;
  }
};
