/**
 * What a visitor finds at the root (links, a favicon instead of a logged 404), and the request
 * log carrying the status actually sent: a TracksError answered 409 is logged as 409, not as
 * the 500 h3 gives the thrown error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { H3 } from 'h3';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { testApp } from '../helpers/app.ts';

let t: TestDatabase;
let app: H3;
let as: Awaited<ReturnType<typeof testApp>>['as'];
const logged: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  t = await createTestDatabase('postgres');
  await migrateToLatest(t.handle.db);
  ({ app, as } = await testApp(t.handle.db, { log: (entry) => void logged.push(entry) }));
});
afterAll(() => t?.drop());

describe('the root', () => {
  it('links to the inspector, the OpenAPI document and the health routes, without a credential', async () => {
    const response = await app.request('/');
    expect(response.status).toBe(200);
    const { links } = await response.json();
    expect(links).toMatchObject({ debugger: '/debugger/', openapi: '/v1/openapi.json', healthz: '/healthz', readyz: '/readyz' });
    for (const path of [links.openapi, links.healthz]) expect((await app.request(path)).status, path).toBe(200);
  });

  it('serves a favicon, so a browser visit logs no failed request', async () => {
    logged.length = 0;
    const response = await app.request('/favicon.ico');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/svg+xml');
    expect(await response.text()).toMatch(/^<svg /);
    expect(logged).toEqual([]);
  });
});

describe('the request log', () => {
  it('logs the status sent: a busy recording’s 409, not 500', async () => {
    const recording = await t.handle.db
      .insertInto('recordings')
      .values({ platform: 'daily', platform_recording_id: 'busy-1', bucket: 'daily', object_keys: '[]', status: 'processing' })
      .returning('id')
      .executeTakeFirstOrThrow();
    logged.length = 0;
    const response = await app.request(`/v1/recordings/${recording.id}/reprocess`, { method: 'POST', headers: as('admin') });
    expect(response.status).toBe(409);
    expect((await response.json()).error.code).toBe('RECORDING_BUSY');
    expect(logged).toEqual([expect.objectContaining({ msg: 'request failed', status: 409, code: 'RECORDING_BUSY' })]);
  });
});
