/**
 * Who is calling: an API key, an OIDC user, or the operator on the local admin socket. Scopes
 * are ordered: `read` reads, `write` also creates meetings and reprocesses, `admin` sees and
 * manages everything (keys, every recording, ownership).
 */
import type { ApiScope } from '../db/schema.ts';

export type Scope = ApiScope;
export const SCOPES: readonly Scope[] = ['read', 'write', 'admin'];

export type Principal = {
  kind: 'key' | 'user' | 'operator';
  /** The key's id, the token's subject, or `local`. */
  id: string;
  name: string;
  scope: Scope;
  /** What `meetings.owner` holds for what this principal creates: `key:<id>` or `user:<sub>`. */
  owner: string;
};

const RANK: Record<Scope, number> = { read: 1, write: 2, admin: 3 };

export const isScope = (value: unknown): value is Scope => typeof value === 'string' && (SCOPES as readonly string[]).includes(value);

export const allows = (principal: Principal, needed: Scope): boolean => RANK[principal.scope] >= RANK[needed];

/** The widest of several scopes (an OIDC token may carry more than one). */
export const widest = (scopes: Iterable<Scope>): Scope | null => {
  let best: Scope | null = null;
  for (const s of scopes) if (!best || RANK[s] > RANK[best]) best = s;
  return best;
};

/** Admins see everything; everyone else what they own. */
export const canSee = (principal: Principal, owner: string | null): boolean => principal.scope === 'admin' || (owner !== null && owner === principal.owner);

/** The operator on the admin socket and AUTH_DISABLED development runs. */
export const operator = (name: string): Principal => ({ kind: 'operator', id: 'local', name, scope: 'admin', owner: 'operator:local' });
