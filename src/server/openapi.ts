/**
 * The OpenAPI 3.1 document, written from the same route specs and zod schemas the routes
 * validate with and answer with (route.ts): z.toJSONSchema gives JSON Schema 2020-12, the
 * dialect of OpenAPI 3.1, and every schema named with `.meta({ id })` becomes a component.
 */
import { z } from 'zod';
import { SCOPES } from '../auth/principal.ts';
import { ErrorBody } from './api-schemas.ts';
import { MEDIA_ROUTES } from './media-route-specs.ts';
import { MEETING_ROUTES } from './meeting-route-specs.ts';
import { OPERATOR_ROUTES } from './operator-route-specs.ts';
import type { RouteSpec } from './route.ts';
import { SERVICE_ROUTES } from './service-route-specs.ts';
import { SESSION_ROUTES } from './session-route-specs.ts';
import { RECORDING_FILE_ROUTES } from './recording-file-route-specs.ts';

/** Every route the service answers, by operation id. */
export const ALL_ROUTES: Record<string, RouteSpec> = {
  ...MEETING_ROUTES,
  ...OPERATOR_ROUTES,
  ...MEDIA_ROUTES,
  ...SERVICE_ROUTES,
  ...SESSION_ROUTES,
  ...RECORDING_FILE_ROUTES,
};

type Json = Record<string, unknown>;

const SECURITY_SCHEMES = {
  bearer: {
    type: 'http',
    scheme: 'bearer',
    description: `An API key (\`rt_…\`, made with \`reflector-tracks api-keys create\`) or an OIDC access token. Scopes, each including the ones before: ${SCOPES.join(', ')}; an operation's \`x-required-scope\` names the one it needs.`,
  },
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: 'rt_session',
    description:
      'The operator view’s session (POST /v1/session exchanges an API key for it): the key’s scope and meetings; a write also needs the X-Requested-With header (CSRF).',
  },
  signedLink: {
    type: 'apiKey',
    in: 'query',
    name: 'signature',
    description:
      'The inspector’s short-lived link (`inspectorUrl` of GET /v1/recordings/{id}): `expires` and `signature` (HMAC-SHA256 over the recording id and expiry) in the query.',
  },
  presignedUrl: { type: 'apiKey', in: 'query', name: 'signature', description: 'A presigned URL of the local object store (`expires`, `signature`).' },
  metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN; without it set, only loopback clients may read /metrics.' },
  dailySignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Webhook-Signature',
    description:
      'Daily’s webhook HMAC (docs.daily.co/reference/rest-api/webhooks): `X-Webhook-Signature` = base64(HMAC-SHA256(key = base64-decoded DAILY_WEBHOOK_SECRET, message = X-Webhook-Timestamp + "." + raw body)); `X-Webhook-Timestamp` within 300 s of now.',
  },
  wherebySignature: {
    type: 'apiKey',
    in: 'header',
    name: 'Whereby-Signature',
    description:
      'Whereby’s webhook signature (docs.whereby.com, webhooks): `Whereby-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(key = WHEREBY_WEBHOOK_SECRET, message = t + "." + raw body)>`; t within 300 s of now.',
  },
};

/** JSON Schema of one zod schema; named sub-schemas move to `components` and are referred to. */
const converter =
  (components: Record<string, Json>) =>
  (schema: z.ZodType, io: 'input' | 'output'): Json => {
    const { $schema: _, $defs, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json & { $defs?: Record<string, Json> };
    const relink = (value: Json): Json => JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/'));
    for (const [id, def] of Object.entries($defs ?? {})) components[id] ??= relink(def);
    const id = (z.globalRegistry.get(schema) as { id?: string } | undefined)?.id;
    if (!id) return relink(rest);
    const { id: _id, ...named } = rest;
    components[id] ??= relink(named);
    return { $ref: `#/components/schemas/${id}` };
  };

/** OpenAPI 3.1 lets a non-OAuth requirement name the roles it needs: the bearer's scope goes there (and in x-required-scope). */
const securityOf = (spec: RouteSpec): Array<Record<string, string[]>> => {
  if (spec.security === 'apiKeyBody') return [];
  if (typeof spec.access === 'string') return [{ bearer: [spec.access] }, { sessionCookie: [] }];
  if (spec.access.scope) return [{ bearer: [spec.access.scope] }, { sessionCookie: [] }, { signedLink: [] }];
  return spec.security ? [{ [spec.security]: [] }] : [];
};

/** The request header of a route whose file answers byte ranges (RFC 9110 §14.2). */
const RANGE_PARAMETER = {
  name: 'Range',
  in: 'header',
  required: false,
  description:
    'one byte range, `bytes=first-last`, `bytes=first-` or `bytes=-suffix`: answered 206 with those bytes, 416 past the end; several ranges or another unit: the whole file',
  schema: { type: 'string' },
};

const operationOf = (operationId: string, spec: RouteSpec, toJson: ReturnType<typeof converter>): Json => {
  const parameters = [
    ...Object.entries(spec.params?.shape ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema: toJson(schema as z.ZodType, 'input') })),
    ...Object.entries(spec.query?.shape ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: !(schema as z.ZodType).safeParse(undefined).success,
      schema: toJson(schema as z.ZodType, 'input'),
    })),
    ...(spec.byteRanges ? [RANGE_PARAMETER] : []),
  ];
  const responses: Json = {};
  for (const [status, answer] of Object.entries(spec.responses)) {
    const types = [answer.contentType ?? 'application/json'].flat();
    const schema = answer.schema ? toJson(answer.schema, 'output') : {};
    responses[status] = {
      description: answer.description,
      ...(status === '302' ? { headers: { location: { description: 'where the content is', schema: { type: 'string' } } } } : {}),
      ...(answer.headers
        ? { headers: Object.fromEntries(Object.entries(answer.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }])) }
        : {}),
      ...(answer.schema || answer.contentType ? { content: Object.fromEntries(types.map((type) => [type, { schema }])) } : {}),
    };
  }
  responses.default = { description: 'any other error, in the common error shape', content: { 'application/json': { schema: toJson(ErrorBody, 'output') } } };
  return {
    operationId,
    summary: spec.summary,
    tags: spec.tags,
    security: securityOf(spec),
    ...(typeof spec.access === 'string' ? { 'x-required-scope': spec.access } : spec.access.scope ? { 'x-required-scope': spec.access.scope } : {}),
    ...(typeof spec.access === 'object' ? { description: `Credential: ${spec.access.public}.` } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: toJson(spec.body, 'input') } } } } : {}),
    responses,
  };
};

export const buildOpenApiDocument = (version: string): Json => {
  const components: Record<string, Json> = {};
  const toJson = converter(components);
  const paths: Record<string, Json> = {};
  for (const [operationId, spec] of Object.entries(ALL_ROUTES)) {
    const path = spec.openapiPath ?? spec.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    paths[path] = { ...paths[path], [spec.method]: operationOf(operationId, spec, toJson) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'reflector-tracks',
      version,
      description:
        'Meeting recordings (Daily raw-tracks, Whereby MP4) turned into timeline-true audio and transcripts. Every JSON answer is camelCase; every error is {"error": {"code", "message"}}.',
    },
    paths,
    components: { schemas: components, securitySchemes: SECURITY_SCHEMES },
  };
};
