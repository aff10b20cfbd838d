/**
 * The operator view's browser session (issue 30): an API key exchanged for an HttpOnly,
 * SameSite=Strict cookie, who the caller is, and signing out. session-routes.ts mounts them,
 * openapi.ts describes them. The cookie then authenticates every route an API key would, under
 * the same scopes and ownership; a write on it needs the `X-Requested-With` header (guard.ts).
 */
import { z } from 'zod';
import { SCOPES } from '../auth/principal.ts';
import { AUTH_ERRORS, BODY_ERRORS } from './meeting-route-specs.ts';
import { errorAnswer, type RouteSpec } from './route.ts';

const Caller = z
  .object({
    kind: z.enum(['key', 'user', 'operator']),
    name: z.string(),
    scope: z.enum(SCOPES as [string, ...string[]]),
  })
  .meta({ id: 'Caller', description: 'who a credential stands for' });

const Session = z.object({ expiresAt: z.iso.datetime().describe('ISO 8601, UTC') }).meta({ id: 'Session' });

const CSRF = { 403: errorAnswer('a cookie-authenticated write without X-Requested-With or from another site (CSRF), or the scope is too small (FORBIDDEN)') };

export const SESSION_ROUTES = {
  createSession: {
    method: 'post',
    path: '/v1/session',
    summary: 'Sign in: exchange an API key for a session cookie (rt_session; HttpOnly, SameSite=Strict, Path=/v1)',
    access: { public: 'an API key of any scope, as the body’s apiKey; the request needs X-Requested-With (CSRF)', scope: 'read' },
    security: 'apiKeyBody',
    tags: ['session'],
    body: z.object({ apiKey: z.string().min(1).max(200).describe('an API key (rt_…)') }),
    responses: {
      201: { description: 'signed in: Set-Cookie carries the session', schema: z.object({ caller: Caller, session: Session }) },
      ...BODY_ERRORS,
      401: errorAnswer('unknown or revoked API key (UNAUTHORIZED)'),
      ...CSRF,
    },
  },
  getSession: {
    method: 'get',
    path: '/v1/session',
    summary: 'Who the credential (session cookie or bearer) stands for',
    access: 'read',
    tags: ['session'],
    responses: {
      200: { description: 'the caller, and the session when the cookie authenticated', schema: z.object({ caller: Caller, session: Session.nullable() }) },
      ...AUTH_ERRORS,
    },
  },
  endSession: {
    method: 'delete',
    path: '/v1/session',
    summary: 'Sign out: the session ends on the server and the cookie is cleared',
    access: 'read',
    tags: ['session'],
    responses: {
      200: { description: 'signed out (false: the credential was not a session)', schema: z.object({ signedOut: z.boolean() }) },
      401: AUTH_ERRORS[401],
      ...CSRF,
    },
  },
} as const satisfies Record<string, RouteSpec>;
