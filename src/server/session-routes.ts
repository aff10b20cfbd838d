/**
 * Sign-in, the caller, sign-out (session-route-specs.ts). The API key travels once, in the
 * sign-in body; afterwards the browser holds only the session cookie (auth/sessions.ts).
 */
import type { H3, H3Event } from 'h3';
import type { Kysely } from 'kysely';
import type { Authenticator } from '../auth/authenticate.ts';
import { principalOfApiKey } from '../auth/api-keys.ts';
import type { Principal } from '../auth/principal.ts';
import { createSession, endSession, principalOfSession, sessionCookie, sessionTokenOf } from '../auth/sessions.ts';
import type { Database } from '../db/schema.ts';
import { jsonResponse } from './errors.ts';
import { csrfRefusal, unauthorized } from './guard.ts';
import { mount, reply } from './route.ts';
import { SESSION_ROUTES as R } from './session-route-specs.ts';

/** Secure cookies when the page came over HTTPS (directly, or through a proxy that says so). */
const overHttps = (event: H3Event) => event.url.protocol === 'https:' || event.req.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';

const callerOf = (p: Principal) => ({ kind: p.kind, name: p.name, scope: p.scope });

const withCookie = (response: Response, cookie: string) => {
  response.headers.append('set-cookie', cookie);
  response.headers.set('cache-control', 'no-store');
  return response;
};

export const registerSessionRoutes = (app: H3, deps: { db: Kysely<Database>; auth: Authenticator; maxBodyBytes: number }) => {
  const { db } = deps;

  mount(app, deps, R.createSession, async ({ event, body }) => {
    // The key is in the body, so a page of another site could post it (a login CSRF): our own page sends the header.
    const refused = csrfRefusal(event);
    if (refused) return refused;
    const principal = await principalOfApiKey(db, body.apiKey);
    if (!principal) return unauthorized('unknown or revoked API key');
    // A sign-in replaces the session its browser held (no pile of live sessions per browser).
    const previous = sessionTokenOf(event.req.headers.get('cookie'));
    if (previous) await endSession(db, previous);
    const session = await createSession(db, principal.id);
    const json = R.createSession.responses[201].schema.parse({ caller: callerOf(principal), session: { expiresAt: session.expiresAt.toISOString() } });
    return withCookie(jsonResponse(201, json), sessionCookie(session.token, overHttps(event)));
  });

  mount(app, deps, R.getSession, async ({ event, principal }) => {
    const token = sessionTokenOf(event.req.headers.get('cookie'));
    // The cookie counts only when it authenticated this request (no bearer beside it).
    const session = token && !event.req.headers.has('authorization') ? await principalOfSession(db, token) : null;
    return reply(200, { caller: callerOf(principal), session: session ? { expiresAt: session.expiresAt.toISOString() } : null });
  });

  mount(app, deps, R.endSession, async ({ event }) => {
    const token = sessionTokenOf(event.req.headers.get('cookie'));
    const signedOut = token && !event.req.headers.has('authorization') ? await endSession(db, token) : false;
    return withCookie(jsonResponse(200, { signedOut }), sessionCookie(null, overHttps(event)));
  });
};
