/**
 * The h3 application: health, readiness, metrics and the platform webhooks. Handlers only
 * record and enqueue; recordings are processed by job workers.
 */
import { H3 } from 'h3';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { pendingMigrations } from '../db/migrate.ts';
import { handleDailyWebhook } from '../platforms/daily/handle-webhook.ts';
import { handleWherebyWebhook } from '../platforms/whereby/handle-webhook.ts';
import type { Metrics } from './metrics.ts';
import type { Stores } from '../storage/open-stores.ts';
import { registerApiRoutes, type MeetingPlatforms } from './api-routes.ts';
import { registerMediaRoutes } from './media-routes.ts';
import { errorResponse, jsonResponse } from './errors.ts';
import { registerDebuggerRoutes } from './debugger-routes.ts';

export type AppDeps = {
  db: Kysely<Database>;
  stores: Stores;
  localSigningKey?: string;
  platforms: MeetingPlatforms;
  /** Where the built inspector is (default web-debugger/dist). */
  debuggerDist?: string;
  metrics: Metrics;
  /** Without a secret the Daily webhook answers 503: events cannot be authenticated. */
  daily: { webhookSecretBase64?: string; bucket: string };
  /** Attempts given to the jobs that webhooks enqueue. */
  jobMaxAttempts?: number;
  whereby: { webhookSecret?: string };
  log: (event: Record<string, unknown>) => void;
};

export const createApp = (deps: AppDeps): H3 => {
  // Errors become the API's error shape; h3 stays quiet and the structured log says what failed.
  const app = new H3({
    silent: true,
    onError: (error, event) => {
      const cause = (error as { cause?: unknown }).cause ?? error;
      deps.log({ msg: 'request failed', method: event.req.method, path: new URL(event.req.url).pathname, status: error.status, error: (cause as Error)?.message, code: (cause as { code?: string })?.code });
      return errorResponse(error, event);
    },
  });

  app.get('/healthz', () => ({ ok: true }));

  app.get('/readyz', async () => {
    try {
      await sql`select 1`.execute(deps.db);
      const pending = await pendingMigrations(deps.db);
      return pending.length ? jsonResponse(503, { ready: false, reason: `pending migrations: ${pending.join(', ')}` }) : { ready: true };
    } catch (error) {
      return jsonResponse(503, { ready: false, reason: `database unreachable: ${(error as Error).message}` });
    }
  });

  app.get('/metrics', async () => new Response(await deps.metrics.registry.metrics(), { headers: { 'content-type': deps.metrics.registry.contentType } }));

  app.post('/v1/daily/webhook', async (event) => {
    const raw = new Uint8Array(await event.req.arrayBuffer());
    const answer = await handleDailyWebhook({ db: deps.db, secretBase64: deps.daily.webhookSecretBase64, dailyBucket: deps.daily.bucket, maxAttempts: deps.jobMaxAttempts, log: deps.log }, raw, event.req.headers);
    deps.metrics.webhooks.inc({ platform: 'daily', type: answer.type, outcome: answer.outcome });
    deps.log({ msg: 'daily webhook', type: answer.type, outcome: answer.outcome, status: answer.status });
    return jsonResponse(answer.status, answer.body);
  });

  registerApiRoutes(app, { db: deps.db, platforms: deps.platforms });
  registerMediaRoutes(app, { db: deps.db, stores: deps.stores, localSigningKey: deps.localSigningKey });
  registerDebuggerRoutes(app, deps.debuggerDist);

  // The original system's path is /v1/whereby; both are served.
  for (const path of ['/v1/whereby/webhook', '/v1/whereby']) {
    app.post(path, async (event) => {
      const answer = await handleWherebyWebhook({ db: deps.db, secret: deps.whereby.webhookSecret, log: deps.log }, await event.req.text(), event.req.headers);
      deps.metrics.webhooks.inc({ platform: 'whereby', type: answer.type, outcome: answer.outcome });
      deps.log({ msg: 'whereby webhook', type: answer.type, outcome: answer.outcome, status: answer.status });
      return jsonResponse(answer.status, answer.body);
    });
  }

  return app;
};
