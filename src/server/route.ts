/**
 * A route is declared once, as data (`RouteSpec`): method, path, the scope it needs, the zod
 * schemas of its path parameters, query and body, and of each answer by status. `mount()`
 * registers the handler behind the guard and h3's validated readers, and parses every JSON
 * answer with the schema of its status; openapi.ts writes the same specs out as OpenAPI 3.1.
 */
import { assertBodySize, getValidatedQuery, getValidatedRouterParams, readValidatedBody, type H3, type H3Event } from 'h3';
import type { z } from 'zod';
import type { Authenticator } from '../auth/authenticate.ts';
import type { Principal, Scope } from '../auth/principal.ts';
import { ErrorBody } from './api-schemas.ts';
import { formatIssues } from '../errors.ts';
import { jsonResponse } from './errors.ts';
import { authorize } from './guard.ts';
import { WellFormedJson } from './well-formed-json.ts';

/** One answer of a route: its JSON schema, or the media type(s) of a file answer. */
export type Answer = {
  description: string;
  schema?: z.ZodType;
  contentType?: string | readonly string[];
  /** Response headers worth documenting, name → what it says. */
  headers?: Readonly<Record<string, string>>;
};

export type RouteSpec = {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** h3 syntax: `/v1/meetings/:id`. */
  path: string;
  summary: string;
  /**
   * Who may call: a scope (bearer API key or OIDC token, checked by `mount`), or another
   * credential the handler checks itself (`scope`: the bearer alternative it also takes).
   */
  access: Scope | { public: string; scope?: Scope };
  /**
   * The OpenAPI security scheme of a `public` route's own credential (openapi.ts); `apiKeyBody`:
   * the credential is an API key in the body (sign-in), checked by the handler, never a bearer.
   */
  security?: 'dailySignature' | 'wherebySignature' | 'presignedUrl' | 'metricsToken' | 'apiKeyBody';
  /** The OpenAPI path when h3's differs (a `**` tail). */
  openapiPath?: string;
  tags: string[];
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The answer is a file that honours a `Range` request header (file-answer.ts; documented as a header parameter). */
  byteRanges?: boolean;
  /** A 404 when `params` do not parse (an id that cannot exist), rather than a 400. */
  notFound?: string;
  responses: Record<number, Answer>;
};

type Out<T> = T extends z.ZodType ? z.output<T> : undefined;

export type RouteInput<S extends RouteSpec> = {
  event: H3Event;
  /** Set when a bearer credential was checked (always, for a route that needs a scope). */
  principal: S['access'] extends Scope ? Principal : Principal | undefined;
  params: Out<S['params']>;
  query: Out<S['query']>;
  body: Out<S['body']>;
};

/** A JSON answer, parsed with the spec's schema of its status; a Response passes as it is. */
export type Reply = { status: number; json: unknown } | Response;

/** The JSON answers a spec allows, by status: the compiler checks a handler against its spec. */
type JsonReply<S extends RouteSpec> = {
  [K in keyof S['responses'] & number]: S['responses'][K] extends { schema: infer Z extends z.ZodType } ? { status: K; json: z.input<Z> } : never;
}[keyof S['responses'] & number];

export const reply = <const N extends number, J>(status: N, json: J) => ({ status, json });

export const errorAnswer = (description: string): Answer => ({ description, schema: ErrorBody });

export type MountDeps = { auth: Authenticator; maxBodyBytes: number };

const bad = (status: number) => (result: { issues: Parameters<typeof formatIssues>[0] }) => ({
  status,
  message: formatIssues(result.issues, 'body').join('; '),
});

export const mount = <S extends RouteSpec>(app: H3, deps: MountDeps, spec: S, handler: (input: RouteInput<S>) => Promise<JsonReply<S> | Response>) => {
  app[spec.method](spec.path, async (event: H3Event) => {
    let principal: Principal | undefined;
    // A scope, or the bearer alternative of a route whose link carries a signature (checked by the handler).
    const scope =
      typeof spec.access === 'string' ? spec.access : event.url.searchParams.has('signature') || spec.security === 'apiKeyBody' ? undefined : spec.access.scope;
    if (scope) {
      const who = await authorize(deps.auth, event, scope);
      if (who instanceof Response) return who;
      principal = who;
    }
    const params = spec.params
      ? await getValidatedRouterParams(event, spec.params, {
          decode: true,
          onError: spec.notFound ? () => ({ status: 404, message: `${spec.notFound} not found` }) : bad(400),
        })
      : undefined;
    const query = spec.query ? await getValidatedQuery(event, spec.query, { onError: bad(400) }) : undefined;
    let body: unknown;
    if (spec.body) {
      assertBodySize(event, deps.maxBodyBytes);
      body = await readValidatedBody(event, WellFormedJson.pipe(spec.body), { onError: bad(400) });
    }
    const answer: Reply = await handler({ event, principal, params, query, body } as RouteInput<S>);
    if (answer instanceof Response) return answer;
    const schema = spec.responses[answer.status]?.schema;
    if (!schema) throw new Error(`${spec.method.toUpperCase()} ${spec.path}: no response schema for ${answer.status}`);
    return jsonResponse(answer.status, schema.parse(answer.json));
  });
};
