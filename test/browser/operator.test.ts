/**
 * The operator view (issue 30 item 6) in Chromium against the real service (HTTP server and job
 * workers, startService) on PostgreSQL and the S3 emulator, with two keys: signing in with one
 * lists exactly its recordings (the other's own only), the filter, a failed recording reprocessed
 * from its row until the row reads processed, its downloads and its timeline, a read key seeing
 * no reprocess button, and signing out ending the session. The page never holds a bearer token.
 * Screenshots go to test/.artifacts/.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import type { Browser, Page } from 'playwright-core';
import { createApiKey } from '../../src/auth/api-keys.ts';
import { loadServiceConfig } from '../../src/config/service-config.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { writeSyntheticTracks } from '../../src/demo/synthetic-meeting.ts';
import { createNodeEngine } from '../../src/engine/node-engine.ts';
import { startService, type Service } from '../../src/server/service.ts';
import { TRACKS } from '../fixtures/meeting.ts';
import { launchChromium } from '../helpers/browser.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { postDaily, readyEvent, waitUntil } from '../helpers/daily-webhooks.ts';

const SECRET = Buffer.from('operator-view-daily-secret').toString('base64');
const artifacts = fileURLToPath(new URL('../.artifacts/', import.meta.url));
let fauxqs: FauxqsServer;
let service: Service;
let t: TestDatabase;
let browser: Browser;
let dir: string;
let track: string;
const keys = {} as Record<'alpha' | 'beta' | 'admin', { id: string; token: string }>;
const ids = {} as Record<'alphaFailed' | 'alphaWordsFailed' | 'betaProcessed' | 'betaFailed', string>;
const bearerRequests: string[] = [];
const cspViolations: string[] = [];

/** A meeting of `owner` with one recording inserted as a finished job leaves it. */
const insertRecording = async (owner: string, room: string, status: 'processed' | 'failed', extra: { error?: string; wordsFailed?: string } = {}) => {
  const { db } = t.handle;
  const meeting = await db
    .insertInto('meetings')
    .values({ platform: 'daily', room_name: room, origin: 'api', owner })
    .returning('id')
    .executeTakeFirstOrThrow();
  const recording = await db
    .insertInto('recordings')
    .values({
      meeting_id: meeting.id,
      platform: 'daily',
      platform_recording_id: `rec-${room}`,
      bucket: 'daily',
      object_keys: '[]',
      status,
      error: extra.error ?? null,
      start_at: new Date(Date.now() - 3600_000),
      duration_ms: 61_000,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (extra.wordsFailed)
    await db
      .insertInto('transcripts')
      .values({ recording_id: recording.id, status: 'ready', transcription_status: 'failed', transcription_error: extra.wordsFailed })
      .execute();
  return recording.id;
};

const openPage = async (width = 1280): Promise<Page> => {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  page.on('request', (request) => {
    if (request.headers().authorization) bearerRequests.push(request.url());
  });
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await page.goto(new URL('/debugger/', service.url!).href);
  return page;
};

const signIn = async (page: Page, token: string) => {
  await page.fill('form#sign-in input[name="apiKey"]', token);
  await page.click('form#sign-in button[type="submit"]');
  await page.waitForSelector('.recording-list[data-loaded]');
};

const listed = (page: Page) => page.$$eval('[data-recording-id]', (rows) => rows.map((r) => r.getAttribute('data-recording-id')!).sort());

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rt-operator-'));
  const engine = await createNodeEngine({ workers: 1 });
  track = (await writeSyntheticTracks(engine, [TRACKS.fromZero], dir))[0]!;
  await engine.close();
  fauxqs = await startFauxqs({ port: 0, logger: false });
  for (const b of ['transcripts', 'daily', 'whereby']) fauxqs.createBucket(b);
  t = await createTestDatabase('postgres');
  await migrateToLatest(t.handle.db);
  keys.alpha = await createApiKey(t.handle.db, { name: 'alpha ops', scope: 'write' });
  keys.beta = await createApiKey(t.handle.db, { name: 'beta viewer', scope: 'read' });
  keys.admin = await createApiKey(t.handle.db, { name: 'admin', scope: 'admin' });
  const endpoint = `http://127.0.0.1:${fauxqs.port}`;
  const config = loadServiceConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: join(dir, 'data'),
    DATABASE_URL: t.url,
    TRANSCRIPT_STORAGE_AWS_ACCESS_KEY_ID: 'x',
    TRANSCRIPT_STORAGE_AWS_SECRET_ACCESS_KEY: 'x',
    TRANSCRIPT_STORAGE_AWS_REGION: 'us-east-1',
    TRANSCRIPT_STORAGE_AWS_ENDPOINT_URL: endpoint,
    TRANSCRIPT_STORAGE_AWS_BUCKET_NAME: 'transcripts',
    DAILYCO_STORAGE_AWS_BUCKET_NAME: 'daily',
    WHEREBY_STORAGE_AWS_BUCKET_NAME: 'whereby',
    DAILY_WEBHOOK_SECRET: SECRET,
    TRACK_FORMAT: 'wav',
    ENGINE_WORKERS: '2',
    JOB_MAX_ATTEMPTS: '1',
  });
  service = await startService(config, { web: true, workers: true, log: () => {}, debuggerDist: inject('inspectorDist') });
  // Alpha's failed recording, failed for real: announced before its raw track was in the bucket.
  const admin = { authorization: `Bearer ${keys.admin.token}`, 'content-type': 'application/json' };
  expect((await postDaily(service.url!, readyEvent('ev-operator', 'alpha-standup', [TRACKS.fromZero.name]), SECRET)).status).toBe(200);
  const failed = await waitUntil('the recording to fail', async () => {
    const row = await t.handle.db
      .selectFrom('recordings')
      .select(['id', 'meeting_id', 'status'])
      .where('platform_recording_id', '=', 'rec-alpha-standup')
      .executeTakeFirst();
    return row?.status === 'failed' && row;
  });
  ids.alphaFailed = failed.id;
  const assigned = await fetch(new URL(`/v1/meetings/${failed.meeting_id}`, service.url!), {
    method: 'PATCH',
    headers: admin,
    body: JSON.stringify({ owner: `key:${keys.alpha.id}` }),
  });
  expect(assigned.status).toBe(200);
  await service.stores.daily.put(`acme/alpha-standup/${TRACKS.fromZero.name}`, createReadStream(track));
  ids.alphaWordsFailed = await insertRecording(`key:${keys.alpha.id}`, 'alpha-retro', 'processed', {
    wordsFailed: 'TRANSCRIPTION_FAILED: the transcriber answered 500',
  });
  ids.betaProcessed = await insertRecording(`key:${keys.beta.id}`, 'beta-weekly', 'processed');
  ids.betaFailed = await insertRecording(`key:${keys.beta.id}`, 'beta-sync', 'failed', { error: 'PIPELINE_NO_TRACKS: no track could be processed' });
  browser = await launchChromium();
  await mkdir(artifacts, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await fauxqs?.stop();
  await t?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the operator view', () => {
  it('signs a write key in, lists exactly its recordings, filters them, reprocesses the failed one until processed, opens its files and timeline, signs out', async () => {
    const page = await openPage();
    expect(await page.getAttribute('form#sign-in input[name="apiKey"]', 'type')).toBe('password');
    expect(await page.textContent('label[for="api-key"]')).toBe('API key');
    await signIn(page, keys.alpha.token);
    expect(await listed(page)).toEqual([ids.alphaFailed, ids.alphaWordsFailed].sort());
    // The page holds no token: the cookie is HttpOnly, nothing in storage, the input emptied.
    expect(await page.evaluate(() => [document.cookie, localStorage.length, sessionStorage.length])).toEqual(['', 0, 0]);
    expect(await page.inputValue('form#sign-in input[name="apiKey"]').catch(() => '')).toBe('');

    const failedRow = `[data-recording-id="${ids.alphaFailed}"]`;
    expect(await page.getAttribute(failedRow, 'data-status')).toBe('failed');
    expect(await page.textContent(`${failedRow} .status-cell .error`)).toMatch(/\S/);
    // The failed words offer transcribing again; without a transcriber the API's answer shows in the row.
    const wordsRow = `[data-recording-id="${ids.alphaWordsFailed}"]`;
    expect(await page.getAttribute(wordsRow, 'data-transcription-status')).toBe('failed');
    expect(await page.textContent(`${wordsRow} .status-cell .error`)).toContain('the transcriber answered 500');
    await page.click(`${wordsRow} button[data-action="transcribe"]`);
    await page.waitForSelector(`${wordsRow} .row-message .error`);
    expect(await page.textContent(`${wordsRow} .row-message .error`)).toContain('TRANSCRIPTION_UNAVAILABLE');
    await page.screenshot({ path: join(artifacts, 'operator-signed-in.png'), fullPage: true });

    await page.selectOption('#status-filter', 'processed');
    await page.waitForFunction(
      (id) => [...document.querySelectorAll('[data-recording-id]')].map((r) => r.getAttribute('data-recording-id')).join() === id,
      ids.alphaWordsFailed,
    );
    await page.selectOption('#status-filter', 'failed');
    await page.waitForFunction(
      (id) => [...document.querySelectorAll('[data-recording-id]')].map((r) => r.getAttribute('data-recording-id')).join() === id,
      ids.alphaFailed,
    );
    await page.selectOption('#status-filter', '');
    await page.waitForFunction(() => document.querySelectorAll('[data-recording-id]').length === 2);

    await page.click(`${failedRow} button[data-action="reprocess"]`);
    await page.waitForSelector(`${failedRow}:not([data-status="failed"])`);
    await page.waitForSelector(`${failedRow}[data-status="processed"]`, { timeout: 180_000 });
    expect(await page.$(`${failedRow} button[data-action="reprocess"]`)).toBeNull();

    // Its files: the mixdown, the timeline and the render, as attachments the session may fetch.
    await page.click(`${failedRow} details.downloads summary`);
    await page.waitForSelector(`${failedRow} a[data-file$=".wav"]`);
    const files = await page.$$eval(`${failedRow} a[data-file]`, (links) => links.map((a) => [a.getAttribute('data-file'), (a as HTMLAnchorElement).href]));
    expect(files.map(([name]) => name)).toEqual(['mixdown.mp3', 'timeline.json', `${TRACKS.fromZero.name}.wav`]);
    const fetched = await page.evaluate(
      async (urls) =>
        Promise.all(
          urls.map(async (url) => {
            const r = await fetch(url);
            return [r.status, r.headers.get('content-type'), r.headers.get('content-disposition'), (await r.arrayBuffer()).byteLength];
          }),
        ),
      files.map(([, href]) => href!),
    );
    for (const [status, , disposition, bytes] of fetched) {
      expect(status).toBe(200);
      expect(disposition).toMatch(/^attachment; filename="/);
      expect(bytes).toBeGreaterThan(100);
    }
    expect(fetched.map(([, type]) => type)).toEqual(['audio/mpeg', 'application/json', 'audio/wav']);
    await page.screenshot({ path: join(artifacts, 'operator-reprocessed.png'), fullPage: true });

    // A row opens its timeline: the stored-recording view, with the way back to the list.
    await page.click(`${failedRow} button[data-action="open"]`);
    await page.waitForURL(/\?recording=/);
    await page.waitForSelector('#app[data-state="ready"]', { timeout: 60_000 });
    expect(new URL(page.url()).searchParams.get('recording')).toBe(ids.alphaFailed);
    expect(await page.textContent('.operator-bar a')).toContain('All recordings');
    await page.click('.operator-bar a');
    await page.waitForSelector('.recording-list[data-loaded]');

    await page.click('#sign-out');
    await page.waitForSelector('form#sign-in');
    expect(await page.evaluate(async () => (await fetch('../v1/recordings')).status)).toBe(401);
    expect(bearerRequests).toEqual([]);
    await page.context().close();
  });

  it('shows a read key its own recordings only, a failed one with its error and no reprocess button, usable at 900 px', async () => {
    const page = await openPage(900);
    // By keyboard alone: the key typed into its field, Enter signs in.
    await page.focus('form#sign-in input[name="apiKey"]');
    await page.keyboard.type(keys.beta.token);
    await page.keyboard.press('Enter');
    await page.waitForSelector('.recording-list[data-loaded]');
    // Tab moves on from Sign out to the filter, whose focus shows.
    await page.focus('#sign-out');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => [document.activeElement?.id, getComputedStyle(document.activeElement!).outlineStyle])).toEqual(['status-filter', 'solid']);
    expect(await listed(page)).toEqual([ids.betaProcessed, ids.betaFailed].sort());
    const failedRow = `[data-recording-id="${ids.betaFailed}"]`;
    expect(await page.getAttribute(failedRow, 'data-status')).toBe('failed');
    expect(await page.textContent(`${failedRow} .status-cell .error`)).toContain('no track could be processed');
    expect(await page.$$('button[data-action="reprocess"]')).toEqual([]);
    expect(await page.$$('button[data-action="transcribe"]')).toEqual([]);
    // Nothing runs off the side at 900 px; every control is reachable by keyboard and named.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(900);
    const unnamed = await page.$$eval(
      '#operator button, #operator select, #operator input, #operator a',
      (controls) =>
        controls.filter((c) => !(c.textContent?.trim() || c.getAttribute('aria-label') || (c.id && document.querySelector(`label[for="${c.id}"]`)))).length,
    );
    expect(unnamed).toBe(0);
    await page.screenshot({ path: join(artifacts, 'operator-read-key-900px.png'), fullPage: true });
    // The key revoked: its session dies with it, and the page's next call returns it to the sign-in form.
    const revoked = await fetch(new URL(`/v1/api-keys/${keys.beta.id}`, service.url!), {
      method: 'DELETE',
      headers: { authorization: `Bearer ${keys.admin.token}` },
    });
    expect(revoked.status).toBe(200);
    await page.selectOption('#status-filter', 'failed');
    await page.waitForSelector('form#sign-in');
    expect(await page.textContent('.operator-notice')).toContain('sign in again');
    expect(bearerRequests).toEqual([]);
    expect(cspViolations).toEqual([]);
    await page.context().close();
  });
});
