/**
 * What a person or a client finds at the root: `GET /` links to the inspector, the OpenAPI
 * document and the health routes; `/v1/openapi.json` (no credential: it describes, it holds no
 * data); and a favicon, so a browser's visit to the inspector does not log a 404.
 */
import { readFileSync } from 'node:fs';
import type { H3 } from 'h3';
import { jsonResponse } from './errors.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { SERVICE_ROUTES } from './service-route-specs.ts';

/** A waveform on a dark tile: small enough to inline, so the service needs no asset file for it. */
const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1f2937"/><path d="M5 16h3l2-6 3 12 3-16 3 18 3-12 2 4h3" fill="none" stroke="#34d399" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export const registerHomeRoutes = (app: H3) => {
  const index = SERVICE_ROUTES.index.responses[200].schema.parse({
    name: 'reflector-tracks',
    links: { debugger: '/debugger/', openapi: '/v1/openapi.json', healthz: '/healthz', readyz: '/readyz', metrics: '/metrics' },
  });
  app.get('/', () => jsonResponse(200, index));
  let document: string | undefined;
  app.get('/v1/openapi.json', () => {
    document ??= JSON.stringify(buildOpenApiDocument(VERSION));
    return new Response(document, { headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' } });
  });
  app.get('/favicon.ico', () => new Response(FAVICON_SVG, { headers: { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' } }));
};
