/**
 * Who may call a route, said where the route is registered: a route spec's `access` (route.ts),
 * or `guard(auth, 'read', handler)` for a handler outside the specs.
 * 401 (with `WWW-Authenticate`) without a valid credential, 403 when the scope is too small.
 * And the request-size rule every body-reading route follows: `readBodyBytes` stops at the cap
 * (413 on a declared `content-length` before reading a byte, else as soon as the stream passes
 * it), never buffering more than the cap.
 */
import type { IncomingMessage } from 'node:http';
import { assertBodySize, type H3Event } from 'h3';
import type { Authenticator } from '../auth/authenticate.ts';
import { allows, type Principal, type Scope } from '../auth/principal.ts';
import { apiError } from './errors.ts';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export const unauthorized = (message: string) => {
  const response = apiError(401, 'UNAUTHORIZED', message);
  response.headers.set('www-authenticate', 'Bearer realm="reflector-tracks"');
  return response;
};

/** The header a page's own script sends with every write it makes on the session cookie. */
export const CSRF_HEADER = 'x-requested-with';

/**
 * A write that a browser's ambient credential (the session cookie) authenticates must come from
 * our own page: besides SameSite=Strict on the cookie, it carries a custom header, which another
 * origin cannot send without a CORS preflight this server never grants (OWASP CSRF Prevention
 * Cheat Sheet, "Custom Request Headers"), and a browser's `Sec-Fetch-Site`, when sent, says
 * same-origin. Null when the request passes.
 */
export const csrfRefusal = (event: H3Event): Response | null => {
  const site = event.req.headers.get('sec-fetch-site');
  if (!event.req.headers.get(CSRF_HEADER) || (site && site !== 'same-origin'))
    return apiError(403, 'CSRF', `a write on the session cookie needs the ${CSRF_HEADER} header, from this origin`);
  return null;
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The caller with at least `scope`, or the 401/403 answer to give instead. */
export const authorize = async (auth: Authenticator, event: H3Event, scope: Scope): Promise<Principal | Response> => {
  const result = await auth(event.req.headers);
  if (!result.ok) return result.status === 401 ? unauthorized(result.message) : apiError(403, 'FORBIDDEN', result.message);
  if (result.via === 'session' && !SAFE_METHODS.has(event.req.method)) {
    const refused = csrfRefusal(event);
    if (refused) return refused;
  }
  if (!allows(result.principal, scope)) return apiError(403, 'FORBIDDEN', `this route needs the ${scope} scope; the credential has ${result.principal.scope}`);
  return result.principal;
};

export const guard =
  <T>(auth: Authenticator, scope: Scope, handler: (event: H3Event, principal: Principal) => T | Promise<T>) =>
  async (event: H3Event) => {
    const principal = await authorize(auth, event, scope);
    return principal instanceof Response ? principal : handler(event, principal);
  };

/**
 * An answer given before the request's body was read to its end (413, 401, 408, …) closes the
 * connection: the unread rest would otherwise sit in front of the next request on a keep-alive
 * connection, which then waits for an answer that never comes. Draining instead would mean
 * reading whatever the client still sends — the very bytes the answer refused.
 */
export const closeUnlessBodyRead = (response: Response, event: H3Event) => {
  const req = (event.runtime?.node as { req?: IncomingMessage } | undefined)?.req;
  if (req && !req.readableEnded && (!req.complete || req.readableLength > 0)) response.headers.set('connection', 'close');
};

/** The body's bytes, at most `limitBytes` of them (h3 throws a 413 HTTPError past the cap). */
export const readBodyBytes = async (event: H3Event, limitBytes: number): Promise<Uint8Array> => {
  assertBodySize(event, limitBytes);
  return new Uint8Array(await event.req.arrayBuffer());
};

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms: the only clients of /metrics without a token. */
export const isLoopback = (ip: string | undefined): boolean => !!ip && (ip === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i.test(ip));
