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
import { H3 } from 'h3';
import type { Kysely } from 'kysely';
import type { Authenticator } from '../auth/authenticate.ts';
import type { Database } from '../db/schema.ts';
import type { Stores } from '../storage/open-stores.ts';
import { registerApiRoutes, type MeetingPlatforms } from './api-routes.ts';
import { registerApiKeyRoutes } from './api-key-routes.ts';
import { registerRecordingActionRoutes } from './recording-action-routes.ts';
import { registerMediaRoutes } from './media-routes.ts';
import { registerSessionRoutes } from './session-routes.ts';
import { registerRecordingFileRoutes } from './recording-file-routes.ts';
import { registerHomeRoutes } from './home-routes.ts';
import { errorResponse } from './errors.ts';
import { INSPECTOR_CSP, registerDebuggerRoutes } from './debugger-routes.ts';
import { closeUnlessBodyRead, DEFAULT_MAX_BODY_BYTES } from './guard.ts';
import { registerHealthRoutes, type HealthDeps } from './health-routes.ts';
import { registerWebhookRoutes, type WebhookRouteDeps } from './webhook-routes.ts';
import type { Log } from '../log.ts';

export type AppDeps = HealthDeps &
  WebhookRouteDeps & {
    db: Kysely<Database>;
    stores: Stores;
    auth: Authenticator;
    /** Signs the inspector's links to a recording's timeline and audio. */
    linkSigningKey: string;
    localSigningKey?: string;
    platforms: MeetingPlatforms;
    /** Where the built inspector is (default web-debugger/dist). */
    debuggerDist?: string;
    /** Cap on every request body (webhooks and API); default 1 MiB. */
    maxBodyBytes?: number;
    /** A transcriber is configured: transcriptions can be (re)queued. */
    transcription?: boolean;
    log: Log;
  };

/** On every answer: no MIME sniffing, no referrer (links carry signatures), never framed; API answers run no content (the inspector has its own CSP). */
const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
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
      const { pathname } = event.url;
      // API answers are per caller: no shared cache keeps one (RFC 9111 §3.5 covers bearer requests only, not cookies).
      if (pathname.startsWith('/v1/') && !response.headers.has('cache-control')) response.headers.set('cache-control', 'private, no-store');
      if (pathname.startsWith('/debugger')) {
        response.headers.set('content-security-policy', INSPECTOR_CSP);
        response.headers.set('cross-origin-opener-policy', 'same-origin');
      }
    },
  });

  // Webhooks: signature first, then the database (webhook-routes.ts, webhook-admission.ts).
  const webhooks = registerWebhookRoutes(app, deps, maxBodyBytes);
  registerHealthRoutes(app, deps, webhooks.isWarm);
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
