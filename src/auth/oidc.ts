/**
 * OIDC access tokens (the original system's users come from its identity provider): JWTs
 * verified with `jose` against the provider's JWKS (fetched, cached and refreshed on unknown
 * `kid`s by jose's remote key set), with issuer, audience and expiry checked. The subject is the
 * user; scopes come from the `scope` claim (space-separated, RFC 8693 §4.2) or an `scp` array.
 */
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { isScope, widest, type Principal } from './principal.ts';

export type OidcConfig = { jwksUrl: string; issuer: string; audience: string };

export type OidcVerifier = (token: string) => Promise<Principal | { error: 'invalid' | 'no-scope'; message: string }>;

export const looksLikeJwt = (token: string): boolean => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);

export const createOidcVerifier = (config: OidcConfig): OidcVerifier => {
  const keys = createRemoteJWKSet(new URL(config.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 });
  return async (token) => {
    let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      ({ payload } = await jwtVerify(token, keys, { issuer: config.issuer, audience: config.audience, requiredClaims: ['sub', 'exp'], clockTolerance: 30 }));
    } catch (error) {
      return { error: 'invalid', message: `token rejected: ${(error as { code?: string }).code ?? (error as Error).message}` };
    }
    const claimed = [...(typeof payload.scope === 'string' ? payload.scope.split(/\s+/) : []), ...(Array.isArray(payload.scp) ? payload.scp : [])];
    const scope = widest(claimed.filter(isScope));
    if (!scope) return { error: 'no-scope', message: 'the token carries none of the scopes read, write, admin' };
    const sub = String(payload.sub);
    const name = typeof payload.email === 'string' ? payload.email : typeof payload.name === 'string' ? payload.name : sub;
    return { kind: 'user', id: sub, name, scope, owner: `user:${sub}` };
  };
};
