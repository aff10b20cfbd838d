/**
 * The routes outside the API proper, for the OpenAPI document: health, metrics, the platforms'
 * webhooks (handlers in app.ts and platforms/*), the inspector and this service's own index.
 * Their handlers live elsewhere; these specs only describe them.
 */
import { z } from 'zod';
import { ErrorBody } from './api-schemas.ts';
import { BODY_ERRORS } from './meeting-route-specs.ts';
import { errorAnswer, type RouteSpec } from './route.ts';

const WebhookAccepted = z
  .looseObject({ ok: z.literal(true), duplicate: z.literal(true).optional().describe('this event id was recorded before') })
  .meta({ id: 'WebhookAccepted' });

const webhookAnswers = (signature: string) => ({
  200: { description: 'recorded (or a duplicate, or an event that does not concern us): every authentic event gets a 2xx', schema: WebhookAccepted },
  ...BODY_ERRORS,
  401: errorAnswer(`missing, stale or wrong signature (${signature})`),
  408: errorAnswer('the body did not arrive in time (REQUEST_TIMEOUT)'),
  500: errorAnswer('this delivery could not be recorded; the platform delivers it again'),
  503: errorAnswer('the webhook secret is not configured, or the service is saturated or without its database (Retry-After)'),
});

export const SERVICE_ROUTES = {
  index: {
    method: 'get',
    path: '/',
    summary: 'Links to the inspector, this document and the health routes',
    access: { public: 'anyone' },
    tags: ['service'],
    responses: {
      200: {
        description: 'links',
        schema: z.object({
          name: z.literal('reflector-tracks'),
          links: z.object({ debugger: z.string(), openapi: z.string(), healthz: z.string(), readyz: z.string(), metrics: z.string() }),
        }),
      },
    },
  },
  openapi: {
    method: 'get',
    path: '/v1/openapi.json',
    summary: 'This OpenAPI 3.1 document',
    access: { public: 'anyone' },
    tags: ['service'],
    responses: { 200: { description: 'the document', schema: z.looseObject({ openapi: z.string() }) } },
  },
  favicon: {
    method: 'get',
    path: '/favicon.ico',
    summary: 'The icon browsers ask for (SVG)',
    access: { public: 'anyone' },
    tags: ['service'],
    responses: { 200: { description: 'an SVG icon', contentType: 'image/svg+xml' } },
  },
  healthz: {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness: the process answers',
    access: { public: 'anyone (no data)' },
    tags: ['service'],
    responses: { 200: { description: 'alive', schema: z.object({ ok: z.literal(true) }) } },
  },
  readyz: {
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: database reachable and migrated, buckets and queue answering',
    access: { public: 'anyone (no data)' },
    tags: ['service'],
    responses: {
      200: { description: 'ready', schema: z.object({ ready: z.literal(true) }) },
      503: { description: 'not ready, and why', schema: z.object({ ready: z.literal(false), reason: z.string() }) },
    },
  },
  metrics: {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics',
    access: { public: 'METRICS_TOKEN as a bearer token; without METRICS_TOKEN, loopback clients only' },
    security: 'metricsToken',
    tags: ['service'],
    responses: {
      200: { description: 'Prometheus text format', contentType: 'text/plain' },
      401: errorAnswer('METRICS_TOKEN is set and was not sent (UNAUTHORIZED)'),
      403: errorAnswer('not a loopback client (FORBIDDEN)'),
    },
  },
  dailyWebhook: {
    method: 'post',
    path: '/v1/daily/webhook',
    summary: 'Daily’s webhook deliveries (recording.ready-to-download, participant.*, meeting.*)',
    access: { public: 'Daily’s HMAC signature' },
    security: 'dailySignature',
    tags: ['webhooks'],
    body: z.looseObject({}).describe('Daily’s event envelope {version, type, id, payload, event_ts}, or the {"test":"test"} ping'),
    responses: webhookAnswers('X-Webhook-Signature, X-Webhook-Timestamp'),
  },
  wherebyWebhook: {
    method: 'post',
    path: '/v1/whereby/webhook',
    summary: 'Whereby’s webhook deliveries (recording.finished, room.*)',
    access: { public: 'Whereby’s signature' },
    security: 'wherebySignature',
    tags: ['webhooks'],
    body: z.looseObject({}).describe('Whereby’s event {id, type, createdAt, data}'),
    responses: webhookAnswers('Whereby-Signature'),
  },
  wherebyWebhookLegacy: {
    method: 'post',
    path: '/v1/whereby',
    summary: 'Whereby’s webhook deliveries at the original system’s path (same as /v1/whereby/webhook)',
    access: { public: 'Whereby’s signature' },
    security: 'wherebySignature',
    tags: ['webhooks'],
    body: z.looseObject({}).describe('Whereby’s event {id, type, createdAt, data}'),
    responses: webhookAnswers('Whereby-Signature'),
  },
  inspector: {
    method: 'get',
    path: '/debugger/',
    summary: 'The track timeline inspector (static app; its data needs a credential or a signed link)',
    access: { public: 'anyone' },
    tags: ['service'],
    responses: {
      200: { description: 'the inspector’s page', contentType: 'text/html' },
      404: { description: 'the inspector is not built (NOT_BUILT)', schema: ErrorBody },
    },
  },
} as const satisfies Record<string, RouteSpec>;
