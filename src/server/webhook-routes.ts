/**
 * The platforms' webhook routes: Daily's and Whereby's deliveries, each authenticated and recorded
 * by its platform's handler, behind one admission (webhook-admission.ts: signature first, then
 * the database). With `warmUp`, synthetic deliveries (rolled back) warm the pool and the code
 * before the service says it is ready (webhook-warm-up.ts).
 */
import type { H3 } from 'h3';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Log } from '../log.ts';
import { authenticateDailyWebhook, dailyWarmUpDelivery, recordDailyWebhook } from '../platforms/daily/handle-webhook.ts';
import { authenticateWherebyWebhook, recordWherebyWebhook, wherebyWarmUpDelivery } from '../platforms/whereby/handle-webhook.ts';
import type { Metrics } from './metrics.ts';
import { createWebhookAdmission, type WebhookPlatform } from './webhook-admission.ts';
import { warmUpWebhooks } from './webhook-warm-up.ts';

export type WebhookRouteDeps = {
  db: Kysely<Database>;
  metrics: Metrics;
  log: Log;
  /** Verified webhook deliveries handled at once; more are answered 503 + Retry-After (default 256). */
  maxWebhooksInFlight?: number;
  /** Webhook bodies read before their signature is checked, at once (default 512). */
  maxUnverifiedWebhookReads?: number;
  /** A webhook body must arrive within this (default 10 s). */
  webhookBodyTimeoutMs?: number;
  /** Set: /readyz says ready only after this many synthetic deliveries at once (rolled back) warmed the pool and code; `done` is called then. */
  warmUp?: { connections: number; done?: () => void };
  /** Without a secret the Daily webhook answers 503: events cannot be authenticated. */
  daily: { webhookSecretBase64?: string; bucket: string };
  /** Attempts given to the jobs that webhooks enqueue. */
  jobMaxAttempts?: number;
  whereby: { webhookSecret?: string };
};

/** Registers the webhook routes and starts the warm-up; the answer says whether it is over (a failed one is logged and counts as over). */
export const registerWebhookRoutes = (app: H3, deps: WebhookRouteDeps, maxBodyBytes: number): { isWarm: () => boolean } => {
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
    warmUpDeliveries: 500,
  };
  const wherebySource: WebhookPlatform = {
    platform: 'whereby',
    authenticate: (raw, headers) => authenticateWherebyWebhook(deps.whereby.webhookSecret, raw, headers),
    record: (raw, db) => recordWherebyWebhook({ db, secret: deps.whereby.webhookSecret, log: deps.log }, raw),
    sample: wherebyWarmUpDelivery,
    warmUpDeliveries: 100,
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
  return { isWarm: () => warm };
};
