/**
 * The `webhook_events` ledger both platforms share: one row per delivered event id (dedupe),
 * the sanitized payload, the body's hash and — when the payload had to be sanitized — the exact
 * bytes. Handlers write the row and its effects in one transaction, so a delivery that fails
 * leaves nothing behind and its redelivery does the work.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database, Platform, WebhookStatus } from '../db/schema.ts';
import type { WebhookBody } from './webhook-body.ts';
import { PREPARED } from '../db/prepared-statements.ts';

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

/**
 * Files the event (deduplicated on its id) in one prepared statement (src/db/prepared-statements.ts),
 * with `effects(filed)`: further CTEs (joined by commas) that act only when `filed` holds, i.e. the
 * id was new. Resolves whether the row was inserted. The one place the row's error and scrubbing
 * rules are applied.
 */
const insertEvent = async (
  db: Kysely<Database>,
  row: Row,
  verdict: Verdict,
  effects?: (filed: RawBuilder<unknown>) => RawBuilder<unknown>,
): Promise<boolean> => {
  const problems = row.body.problems.length ? `sanitized: ${row.body.problems.join('; ')}` : null;
  const error = [verdict.error, problems].filter(Boolean).join(' — ') || null;
  const payload = verdict.scrubbed ? '{}' : row.body.payload;
  const rawBody = verdict.scrubbed ? null : row.body.rawKept;
  const more = effects ? sql`, ${effects(sql`exists (select 1 from filed_event)`)}` : sql``;
  const { rows } = await sql<{ id: number }>`${PREPARED} with filed_event as (
      insert into webhook_events (platform, event_id, type, payload, status, error, body_sha256, raw_body)
      values (${row.platform}, ${row.eventId}, ${row.type}, ${payload}::jsonb, ${verdict.status}, ${error}::text, ${row.body.sha256}, ${rawBody}::bytea)
      on conflict (platform, event_id) do nothing
      returning id
    )${more}
    select id from filed_event`.execute(db);
  return rows.length > 0;
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

/**
 * Files an event and applies its effects in one statement — one round trip, atomic without
 * BEGIN/COMMIT (issue 24: at 500 deliveries/s the round trips were half the service's CPU). The
 * event row is a CTE `filed_event`; `effects(filed)` are further CTEs (joined by commas) that act
 * only when `filed` holds, i.e. the id was new: a redelivery changes nothing and is told so. The
 * verdict is known before the effects run (effects that can decide it use `applyEvent`).
 */
export const fileEventWith = async (
  db: Kysely<Database>,
  row: Row,
  verdict: Verdict,
  effects: (filed: RawBuilder<unknown>) => RawBuilder<unknown>,
): Promise<WebhookAnswer> =>
  (await insertEvent(db, row, verdict, effects)) ? answer(verdict.outcome, row.type) : answer('duplicate', row.type, { duplicate: true });
