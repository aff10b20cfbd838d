/**
 * The service's own health: liveness (`/healthz`, anyone), readiness (`/readyz`, anyone: the
 * database reachable and migrated and every other check passing, each within a second; not before
 * the webhook warm-up is done) and Prometheus metrics (`/metrics`: the METRICS_TOKEN bearer, else
 * loopback clients only).
 */
import { timingSafeEqual } from 'node:crypto';
import { getRequestIP, type H3 } from 'h3';
import { sql, type Kysely } from 'kysely';
import { pendingMigrations } from '../db/migrate.ts';
import type { Database } from '../db/schema.ts';
import { apiError, jsonResponse } from './errors.ts';
import { isLoopback } from './guard.ts';
import type { Metrics } from './metrics.ts';

export type HealthDeps = {
  db: Kysely<Database>;
  metrics: Metrics;
  /** Set: /metrics needs it as a bearer token. Unset: loopback clients only. */
  metricsToken?: string;
  /** Checks beyond the database (buckets, queue): each resolves to a problem or null. */
  readinessChecks?: Array<() => Promise<string | null>>;
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

/** `isWarm`: whether the webhook warm-up (webhook-routes.ts) is over; /readyz says not ready until it is. */
export const registerHealthRoutes = (app: H3, deps: HealthDeps, isWarm: () => boolean): void => {
  app.get('/healthz', () => ({ ok: true }));

  app.get('/readyz', async () => {
    if (!isWarm()) return jsonResponse(503, { ready: false, reason: 'warming up' });
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
};
