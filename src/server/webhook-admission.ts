/**
 * Webhook admission: what a delivery must pass before it costs the service anything shared.
 *
 * 1. The body is read under the size cap and a deadline (unverified-reads.ts). Bodies not yet
 *    verified are read at most `maxUnverifiedReads` at a time, holding at most
 *    `maxUnverifiedBytes` together; at either cap the read that has waited longest is dropped (its
 *    socket closed), so slow or stalled uploads cannot keep quick ones out — a platform's delivery is read in milliseconds. An aborted upload
 *    costs its own socket and nothing else.
 * 2. The signature is checked (401 when wrong). Only then does the delivery take one of
 *    `maxInFlight` slots for the database work; beyond them the answer is 503 + Retry-After.
 * 3. Failures are told apart (src/db/connection-errors.ts). A lost or refused database connection
 *    answers 503 and, for one second, answers every delivery 503 at once instead of queueing them
 *    behind a database that is away. Any other failure of an authentic delivery (a poison event, an
 *    SQL error) does not touch the others: the delivery is stored `invalid` with the reason in a
 *    statement of its own and answered 200 — Daily disables a webhook after repeated failures
 *    (docs.daily.co/reference/rest-api/webhooks) — and only if that fails too it is 500, alone.
 */
import type { H3Event } from 'h3';
import type { Kysely } from 'kysely';
import type { Database, Platform } from '../db/schema.ts';
import { isConnectionError, isPoolBusyError, isRetryableError } from '../db/connection-errors.ts';
import { readWebhookBody } from '../platforms/webhook-body.ts';
import { eventIdOf, eventTypeOf, fileEvent, type WebhookAnswer, type WebhookOutcome } from '../platforms/webhook-events.ts';
import type { Log } from '../log.ts';
import { BodyReadError } from './bounded-body.ts';
import { apiError } from './errors.ts';
import type { Metrics } from './metrics.ts';
import { createUnverifiedReads, DEFAULT_MAX_UNVERIFIED_BYTES, DEFAULT_MAX_UNVERIFIED_READS } from './unverified-reads.ts';

/** Deliveries handled (database work) at once; more are answered 503 + Retry-After. */
export const DEFAULT_MAX_WEBHOOKS_IN_FLIGHT = 256;
/** A webhook body (a few KiB) that has not arrived in this time is not coming from a platform. */
export const DEFAULT_WEBHOOK_BODY_TIMEOUT_MS = 10_000;
/** Outcomes counted in metrics only (reflector_webhooks_total), not logged one line per delivery. */
const ROUTINE = new Set<WebhookOutcome>(['recorded', 'duplicate', 'ignored']);
/** How long one connection-level error makes every delivery answer 503 at once. */
const DATABASE_DOWN_MS = 1000;

export type WebhookPlatform = {
  platform: Platform;
  /** The answer to a delivery that is not authentic (or cannot be checked); null when it is. */
  authenticate(raw: Uint8Array, headers: Headers): WebhookAnswer | null;
  /** Records an authentic delivery in `db`. */
  record(raw: Uint8Array, db: Kysely<Database>): Promise<WebhookAnswer>;
  /** Synthetic authentic delivery number `n` (a new event id each time; common kinds in turn), for the warm-up. */
  sample(n: number): Uint8Array;
  /** How many the warm-up runs, at most: a few hundred where deliveries come by the hundred a second. */
  warmUpDeliveries: number;
};

export type AdmissionOptions = {
  db: Kysely<Database>;
  metrics: Metrics;
  log: Log;
  maxBodyBytes: number;
  maxInFlight?: number;
  maxUnverifiedReads?: number;
  maxUnverifiedBytes?: number;
  bodyTimeoutMs?: number;
};

const unavailable = (code: string, message: string, retryAfterSec: number) => {
  const response = apiError(503, code, message);
  response.headers.set('retry-after', String(retryAfterSec));
  return response;
};

/**
 * A 200 is returned as its body object: h3 then writes it straight to the socket (srvx's
 * FastResponse) instead of reading a web-stream body, on the path every delivery takes.
 */
const toResponse = (a: WebhookAnswer): Response | Record<string, unknown> => (a.status === 200 ? a.body : apiError(a.status, a.error.code, a.error.message));

const BODY_ANSWERS: Record<BodyReadError['failure'], [number, string]> = {
  'too-large': [413, 'PAYLOAD_TOO_LARGE'],
  'too-slow': [408, 'REQUEST_TIMEOUT'],
  'client-gone': [400, 'BAD_REQUEST'],
  cancelled: [503, 'UNAVAILABLE'],
};

export const createWebhookAdmission = (options: AdmissionOptions) => {
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_WEBHOOKS_IN_FLIGHT;
  const readBody = createUnverifiedReads({
    maxReads: options.maxUnverifiedReads ?? DEFAULT_MAX_UNVERIFIED_READS,
    maxReadBytes: options.maxUnverifiedBytes ?? DEFAULT_MAX_UNVERIFIED_BYTES,
    maxBodyBytes: options.maxBodyBytes,
    bodyTimeoutMs: options.bodyTimeoutMs ?? DEFAULT_WEBHOOK_BODY_TIMEOUT_MS,
  });
  const { db, metrics, log } = options;
  let inFlight = 0;
  let databaseDownUntilMs = 0;

  /** Files an authentic delivery its handling failed on as `invalid`, with the reason (one statement, its own transaction). */
  const failedRow = (platform: Platform, raw: Uint8Array) => {
    const body = readWebhookBody(raw);
    const head = (body.value ?? body.head) as { id?: unknown; type?: unknown } | undefined;
    return { platform, eventId: eventIdOf(head?.id, body), type: eventTypeOf(head?.type), body };
  };

  const databaseDown = (platform: Platform, error: unknown) => {
    databaseDownUntilMs = Date.now() + DATABASE_DOWN_MS;
    const detail = (error as { code?: string }).code ?? (error as Error).message;
    metrics.webhooks.inc({ platform, type: 'unknown', outcome: 'unavailable' });
    log({
      level: 'warn',
      msg: `${platform} webhook not recorded: database connection failed; answered 503`,
      error: (error as Error).message,
      code: (error as { code?: string }).code,
    });
    return unavailable('DB_UNAVAILABLE', `database connection failed (${detail}); deliver again later`, 5);
  };

  // Every pooled connection busy for the whole checkout wait: shed like a full house, without
  // tripping the "database unavailable" switch that would refuse everyone for a second.
  const poolBusy = (platform: Platform) => {
    metrics.webhooks.inc({ platform, type: 'unknown', outcome: 'shed' });
    return unavailable('UNAVAILABLE', 'every database connection is busy; deliver again shortly', 1);
  };

  const record = async (source: WebhookPlatform, raw: Uint8Array): Promise<Response | Record<string, unknown>> => {
    const { platform } = source;
    try {
      const result = await source.record(raw, db).catch((error: unknown) => (isRetryableError(error) ? source.record(raw, db) : Promise.reject(error)));
      metrics.webhooks.inc({ platform, type: result.type, outcome: result.outcome });
      // Routine outcomes are counted, not logged: a line per participant event is most of the log (and a write to stdout each).
      if (!ROUTINE.has(result.outcome)) log({ msg: `${platform} webhook`, type: result.type, outcome: result.outcome, status: result.status });
      return toResponse(result);
    } catch (error) {
      if (isPoolBusyError(error)) return poolBusy(platform);
      if (isConnectionError(error)) return databaseDown(platform, error);
      if (isRetryableError(error))
        return unavailable('UNAVAILABLE', `the delivery met a conflict (${(error as { code?: string }).code}); deliver again shortly`, 1);
      const reason = `${(error as { code?: string }).code ?? 'error'}: ${(error as Error).message}`.slice(0, 500);
      const row = failedRow(platform, raw);
      try {
        const filed = await fileEvent(db, row, { status: 'invalid', outcome: 'invalid', error: `not processed: ${reason}` });
        metrics.webhooks.inc({ platform, type: row.type, outcome: 'invalid' });
        log({ level: 'warn', msg: `${platform} webhook failed; stored invalid`, eventId: row.eventId, error: reason });
        return toResponse(filed);
      } catch (fileError) {
        if (isPoolBusyError(fileError)) return poolBusy(platform);
        if (isConnectionError(fileError)) return databaseDown(platform, fileError);
        metrics.webhooks.inc({ platform, type: row.type, outcome: 'failed' });
        log({
          level: 'error',
          msg: `${platform} webhook failed and could not be stored; answered 500`,
          eventId: row.eventId,
          error: reason,
          storeError: (fileError as Error).message,
        });
        return apiError(500, 'INTERNAL', `the delivery could not be recorded (event ${row.eventId}); deliver again later`);
      }
    }
  };

  /** The h3 handler for one platform's webhook route. */
  const route =
    (source: WebhookPlatform) =>
    async (event: H3Event): Promise<Response | Record<string, unknown>> => {
      let raw: Uint8Array;
      try {
        raw = await readBody(event);
      } catch (error) {
        if (!(error instanceof BodyReadError)) throw error;
        const [status, code] = BODY_ANSWERS[error.failure];
        return apiError(status, code, error.message);
      }
      const refused = source.authenticate(raw, event.req.headers);
      if (refused) {
        metrics.webhooks.inc({ platform: source.platform, type: refused.type, outcome: refused.outcome });
        if (refused.status !== 200)
          log({ msg: `${source.platform} webhook refused`, status: refused.status, outcome: refused.outcome, reason: refused.error.message });
        return toResponse(refused);
      }
      if (Date.now() < databaseDownUntilMs)
        return unavailable('DB_UNAVAILABLE', 'the database connection failed less than a second ago; deliver again later', 5);
      if (inFlight >= maxInFlight) {
        metrics.webhooks.inc({ platform: source.platform, type: 'unknown', outcome: 'shed' });
        return unavailable('UNAVAILABLE', 'too many deliveries in flight; deliver again shortly', 1);
      }
      inFlight++;
      try {
        return await record(source, raw);
      } finally {
        inFlight--;
      }
    };

  return { route };
};
