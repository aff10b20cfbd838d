/**
 * The h3 application. Who may call what:
 *
 * | routes                                         | caller                                      |
 * |------------------------------------------------|---------------------------------------------|
 * | GET /healthz, /readyz                          | anyone (no data)                            |
 * | GET /metrics                                   | METRICS_TOKEN bearer; without one, loopback |
 * | POST /v1/daily/webhook, /v1/whereby[/webhook]  | the platform (HMAC signature)               |
 * | GET /v1/objects/:bucket/**                     | holder of a presigned URL                   |
 * | GET /v1/recordings/:id/timeline, /audio,       | read scope on the meeting, or a signed link |
 * |     /transcript                                |                                             |
 * | other GET /v1/…                                | read scope, own meetings (admin: all)       |
 * | POST /v1/session                               | an API key in the body (sign-in → cookie)   |
 * | any route above needing a scope                | also the session cookie; its writes need    |
 * |                                                | X-Requested-With (CSRF, guard.ts)           |
 * | POST /v1/meetings                              | write scope                                 |
 * | POST /v1/recordings/:id/reprocess              | write scope, own meetings (admin: all)      |
 * | DELETE /v1/transcripts/:id                     | write scope, own meetings (admin: all)      |
 * | POST /v1/transcripts/:id/transcribe            | write scope, own meetings (admin: all)      |
 * | PATCH /v1/meetings/:id, /v1/api-keys…          | admin scope                                 |
 * | /debugger/                                     | anyone (static app; data needs the above)   |
 *
 * Handlers only record and enqueue; recordings are processed by job workers.
 */
import { DEFAULTS } from '../defaults.ts';
import { getRequestIP, H3 } from 'h3';
import { timingSafeEqual } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Authenticator } from '../auth/authenticate.ts';
import type { Database } from '../db/schema.ts';
import { pendingMigrations } from '../db/migrate.ts';
import { authenticateDailyWebhook, dailyWarmUpDelivery, recordDailyWebhook } from '../platforms/daily/handle-webhook.ts';
import { authenticateWherebyWebhook, recordWherebyWebhook, wherebyWarmUpDelivery } from '../platforms/whereby/handle-webhook.ts';
import type { Metrics } from './metrics.ts';
import type { Stores } from '../storage/open-stores.ts';
import { registerApiRoutes, type MeetingPlatforms } from './api-routes.ts';
import { registerApiKeyRoutes } from './api-key-routes.ts';
import { registerRecordingActionRoutes } from './recording-action-routes.ts';
import { registerMediaRoutes } from './media-routes.ts';
import { registerSessionRoutes } from './session-routes.ts';
import { registerRecordingFileRoutes } from './recording-file-routes.ts';
import { registerHomeRoutes } from './home-routes.ts';
import { apiError, errorResponse, jsonResponse } from './errors.ts';
import { INSPECTOR_CSP, registerDebuggerRoutes } from './debugger-routes.ts';
import { closeUnlessBodyRead, DEFAULT_MAX_BODY_BYTES, isLoopback } from './guard.ts';
import { createWebhookAdmission, type WebhookPlatform } from './webhook-admission.ts';
import { warmUpWebhooks } from './webhook-warm-up.ts';
import type { Log } from '../log.ts';

export type AppDeps = {
  db: Kysely<Database>;
  stores: Stores;
  auth: Authenticator;
  /** Signs the inspector's links to a recording's timeline and audio. */
  linkSigningKey: string;
  localSigningKey?: string;
  platforms: MeetingPlatforms;
  /** Where the built inspector is (default web-debugger/dist). */
  debuggerDist?: string;
  metrics: Metrics;
  /** Set: /metrics needs it as a bearer token. Unset: loopback clients only. */
  metricsToken?: string;
  /** Cap on every request body (webhooks and API); default 1 MiB. */
  maxBodyBytes?: number;
  /** Verified webhook deliveries handled at once; more are answered 503 + Retry-After (default 256). */
  maxWebhooksInFlight?: number;
  /** Webhook bodies read before their signature is checked, at once (default 512). */
  maxUnverifiedWebhookReads?: number;
  /** A webhook body must arrive within this (default 10 s). */
  webhookBodyTimeoutMs?: number;
  /** Set: /readyz says ready only after this many synthetic deliveries at once (rolled back) warmed the pool and code; `done` is called then. */
  warmUp?: { connections: number; done?: () => void };
  /** Checks beyond the database (buckets, queue): each resolves to a problem or null. */
  readinessChecks?: Array<() => Promise<string | null>>;
  /** Without a secret the Daily webhook answers 503: events cannot be authenticated. */
  daily: { webhookSecretBase64?: string; bucket: string };
  /** Attempts given to the jobs that webhooks enqueue. */
  jobMaxAttempts?: number;
  /** A transcriber is configured: transcriptions can be (re)queued. */
  transcription?: boolean;
  whereby: { webhookSecret?: string };
  log: Log;
};

/** On every answer: no MIME sniffing, no referrer (links carry signatures), never framed; API answers run no content (the inspector has its own CSP). */
const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

/** How long /readyz waits for any one dependency before calling it down. */
const READINESS_TIMEOUT_MS = 1000;

const within = <T>(ms: number, work: Promise<T>, what: string): Promise<T> =>
  Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms).unref())]);

const sameSecret = (given: string | null, expected: string) => {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(`Bearer ${expected}`);
  return a.length === b.length && timingSafeEqual(a, b);
};

export const createApp = (deps: AppDeps): H3 => {
  const maxBodyBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  // Errors become the API's error shape (never a stack trace); the structured log says what failed.
  const app = new H3({
    silent: true,
    onError: (error, event) => {
      const cause = (error as { cause?: unknown }).cause ?? error;
      const response = errorResponse(error, event);
      deps.log({
        msg: 'request failed',
        method: event.req.method,
        path: new URL(event.req.url).pathname,
        status: response.status, // the status sent (a TracksError's, not h3's 500)
        error: (cause as Error)?.message,
        code: (cause as { code?: string })?.code,
      });
      return response;
    },
    // Every answer, errors and unmatched routes included (all Responses we build have mutable headers).
    onResponse: (response, event) => {
      closeUnlessBodyRead(response, event);
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!response.headers.has(name)) response.headers.set(name, value);
      if (new URL(event.req.url).pathname.startsWith('/debugger')) {
        response.headers.set('content-security-policy', INSPECTOR_CSP);
        response.headers.set('cross-origin-opener-policy', 'same-origin');
      }
    },
  });

  app.get('/healthz', () => ({ ok: true }));

  app.get('/readyz', async () => {
    if (!warm) return jsonResponse(503, { ready: false, reason: 'warming up' });
    try {
      await within(READINESS_TIMEOUT_MS, sql`select 1`.execute(deps.db), 'database');
      const pending = await within(READINESS_TIMEOUT_MS, pendingMigrations(deps.db), 'database');
      if (pending.length) return jsonResponse(503, { ready: false, reason: `pending migrations: ${pending.join(', ')}` });
    } catch (error) {
      return jsonResponse(503, { ready: false, reason: `database unreachable: ${(error as Error).message}` });
    }
    const problems = (
      await Promise.all((deps.readinessChecks ?? []).map((check) => within(READINESS_TIMEOUT_MS, check(), 'check').catch((e: Error) => e.message)))
    ).filter(Boolean);
    return problems.length ? jsonResponse(503, { ready: false, reason: problems.join('; ') }) : { ready: true };
  });

  app.get('/metrics', async (event) => {
    if (deps.metricsToken ? !sameSecret(event.req.headers.get('authorization'), deps.metricsToken) : !isLoopback(getRequestIP(event))) {
      return apiError(
        deps.metricsToken ? 401 : 403,
        deps.metricsToken ? 'UNAUTHORIZED' : 'FORBIDDEN',
        deps.metricsToken ? 'metrics need Authorization: Bearer $METRICS_TOKEN' : 'metrics answer loopback clients only unless METRICS_TOKEN is set',
      );
    }
    return new Response(await deps.metrics.registry.metrics(), { headers: { 'content-type': deps.metrics.registry.contentType } });
  });

  // Webhooks: signature first, then the database (src/server/webhook-admission.ts).
  const webhook = createWebhookAdmission({
    db: deps.db,
    metrics: deps.metrics,
    log: deps.log,
    maxBodyBytes,
    maxInFlight: deps.maxWebhooksInFlight,
    maxUnverifiedReads: deps.maxUnverifiedWebhookReads,
    bodyTimeoutMs: deps.webhookBodyTimeoutMs,
  });
  const daily = { secretBase64: deps.daily.webhookSecretBase64, dailyBucket: deps.daily.bucket, maxAttempts: deps.jobMaxAttempts, log: deps.log };
  const dailySource: WebhookPlatform = {
    platform: 'daily',
    authenticate: (raw, headers) => authenticateDailyWebhook(daily.secretBase64, raw, headers),
    record: (raw, db) => recordDailyWebhook({ ...daily, db }, raw),
    sample: dailyWarmUpDelivery,
  };
  const wherebySource: WebhookPlatform = {
    platform: 'whereby',
    authenticate: (raw, headers) => authenticateWherebyWebhook(deps.whereby.webhookSecret, raw, headers),
    record: (raw, db) => recordWherebyWebhook({ db, secret: deps.whereby.webhookSecret, log: deps.log }, raw),
    sample: wherebyWarmUpDelivery,
  };
  app.post('/v1/daily/webhook', webhook.route(dailySource));
  // The original system's path is /v1/whereby; both are served.
  for (const path of ['/v1/whereby/webhook', '/v1/whereby']) app.post(path, webhook.route(wherebySource));
  // Not ready until warm (see /readyz); a failed warm-up is logged and readiness goes on without it.
  let warm = !deps.warmUp;
  if (deps.warmUp)
    void warmUpWebhooks(deps.db, [dailySource, wherebySource], deps.warmUp.connections, deps.log)
      .catch((error: Error) => deps.log({ level: 'warn', msg: 'webhook warm-up failed', error: error.message }))
      .finally(() => {
        warm = true;
        deps.warmUp?.done?.();
      });

  registerHomeRoutes(app);
  registerApiRoutes(app, { db: deps.db, platforms: deps.platforms, auth: deps.auth, maxBodyBytes, linkSigningKey: deps.linkSigningKey });
  registerApiKeyRoutes(app, { db: deps.db, auth: deps.auth, maxBodyBytes });
  registerRecordingActionRoutes(app, {
    db: deps.db,
    stores: deps.stores,
    auth: deps.auth,
    transcription: deps.transcription ?? false,
    jobMaxAttempts: deps.jobMaxAttempts ?? DEFAULTS.jobMaxAttempts,
    maxBodyBytes,
  });
  registerMediaRoutes(app, {
    db: deps.db,
    stores: deps.stores,
    auth: deps.auth,
    localSigningKey: deps.localSigningKey,
    linkSigningKey: deps.linkSigningKey,
    maxBodyBytes,
  });
  registerSessionRoutes(app, { db: deps.db, auth: deps.auth, maxBodyBytes });
  registerRecordingFileRoutes(app, { db: deps.db, stores: deps.stores, auth: deps.auth, maxBodyBytes });
  registerDebuggerRoutes(app, deps.debuggerDist);

  return app;
};
