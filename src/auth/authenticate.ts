/**
 * Credentials → principal. Clients send `Authorization: Bearer <token>`: an API key (`rt_…`)
 * or, when OIDC is configured, a JWT from the identity provider. Without a bearer, the operator
 * view's session cookie (auth/sessions.ts) stands for the API key it was made from. Anything
 * else, a revoked key or a token that does not verify is a 401; nothing falls through to
 * "anonymous".
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { isApiKeyToken, principalOfApiKey } from './api-keys.ts';
import { looksLikeJwt, type OidcVerifier } from './oidc.ts';
import { operator, type Principal } from './principal.ts';
import { principalOfSession, sessionTokenOf } from './sessions.ts';

/** `via: 'session'`: the credential was the session cookie, which a browser sends by itself (writes then need the CSRF check, server/guard.ts). */
export type AuthResult = { ok: true; principal: Principal; via?: 'session' } | { ok: false; status: 401 | 403; message: string };

export type Authenticator = (headers: Headers) => Promise<AuthResult>;

/** Longer than any key or sane JWT; a bigger header is refused before any work. */
const MAX_TOKEN_CHARS = 8192;

export const bearerToken = (headers: Headers): string | null => {
  const header = headers.get('authorization');
  const match = header && /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match && match[1]!.length <= MAX_TOKEN_CHARS ? match[1]! : null;
};

export const createAuthenticator =
  (deps: { db: Kysely<Database>; oidc?: OidcVerifier }): Authenticator =>
  async (headers) => {
    const token = bearerToken(headers);
    if (!token) {
      const session = headers.has('authorization') ? null : sessionTokenOf(headers.get('cookie'));
      if (session) {
        const principal = await principalOfSession(deps.db, session);
        if (!principal) return { ok: false, status: 401, message: 'the session has ended (signed out, expired, or its API key revoked): sign in again' };
        const { expiresAt: _, ...who } = principal;
        return { ok: true, principal: who, via: 'session' };
      }
      return { ok: false, status: 401, message: 'missing bearer credential (Authorization: Bearer <API key or token>)' };
    }
    if (isApiKeyToken(token)) {
      const principal = await principalOfApiKey(deps.db, token);
      return principal ? { ok: true, principal } : { ok: false, status: 401, message: 'unknown or revoked API key' };
    }
    if (deps.oidc && looksLikeJwt(token)) {
      const result = await deps.oidc(token);
      if ('error' in result) return { ok: false, status: result.error === 'no-scope' ? 403 : 401, message: result.message };
      return { ok: true, principal: result };
    }
    return { ok: false, status: 401, message: 'unrecognised credential' };
  };

/** Every caller is the operator: the admin socket (file permissions authenticate) and AUTH_DISABLED. */
export const operatorAuthenticator = (name: string): Authenticator => {
  const principal = operator(name);
  return async () => ({ ok: true, principal });
};
