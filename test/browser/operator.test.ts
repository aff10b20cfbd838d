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
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { createApiKey } from '../../src/auth/api-keys.ts';
import type { Service } from '../../src/server/service.ts';
import { TRACKS } from '../fixtures/meeting.ts';
import { openBrowser, type TestBrowser } from '../helpers/browser.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { postDaily, readyEvent } from '../helpers/daily-webhooks.ts';
import { waitUntil } from '../helpers/wait.ts';
import { DAILY_SECRET, insertRecording, startOperatorStand, type OperatorStand } from '../helpers/operator-stand.ts';

const artifacts = fileURLToPath(new URL('../.artifacts/', import.meta.url));
let stand: OperatorStand;
let service: Service;
let t: TestDatabase;
let browser: TestBrowser;
const keys = {} as Record<'alpha' | 'beta' | 'admin', { id: string; token: string }>;
const ids = {} as Record<'alphaFailed' | 'alphaWordsFailed' | 'betaProcessed' | 'betaFailed', string>;
const bearerRequests: string[] = [];
const cspViolations: string[] = [];

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
  stand = await startOperatorStand(inject('inspectorDist'), async (db) => {
    keys.alpha = await createApiKey(db, { name: 'alpha ops', scope: 'write' });
    keys.beta = await createApiKey(db, { name: 'beta viewer', scope: 'read' });
    keys.admin = await createApiKey(db, { name: 'admin', scope: 'admin' });
  });
  ({ service, t } = stand);
  // Alpha's failed recording, failed for real: announced before its raw track was in the bucket.
  const admin = { authorization: `Bearer ${keys.admin.token}`, 'content-type': 'application/json' };
  expect((await postDaily(service.url!, readyEvent('ev-operator', 'alpha-standup', [TRACKS.fromZero.name]), DAILY_SECRET)).status).toBe(200);
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
  await service.stores.daily.put(`acme/alpha-standup/${TRACKS.fromZero.name}`, createReadStream(stand.track));
  ids.alphaWordsFailed = await insertRecording(t.handle.db, `key:${keys.alpha.id}`, 'alpha-retro', 'processed', {
    wordsFailed: 'TRANSCRIPTION_FAILED: the transcriber answered 500',
  });
  ids.betaProcessed = await insertRecording(t.handle.db, `key:${keys.beta.id}`, 'beta-weekly', 'processed');
  ids.betaFailed = await insertRecording(t.handle.db, `key:${keys.beta.id}`, 'beta-sync', 'failed', {
    error: 'PIPELINE_NO_TRACKS: no track could be processed',
  });
  browser = await openBrowser();
  await mkdir(artifacts, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await stand?.stop();
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
    // (Read without waiting: the form is gone once signed in; a field left behind must be empty.)
    expect(await page.$$eval('input[name="apiKey"]', (inputs) => inputs.map((i) => (i as HTMLInputElement).value))).toEqual(
      expect.not.arrayContaining([expect.stringMatching(/./)]),
    );

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
