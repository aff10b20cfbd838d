/**
 * The browser engine (over @ffmpeg/ffmpeg, core from the page's own origin, verified against
 * the manifest) in headless Chromium.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPage, openBrowser, type TestBrowser, serveStatic } from '../helpers/browser.ts';

let server: Server;
let browser: TestBrowser;
let report: Record<string, unknown>;
const requests: string[] = [];

beforeAll(async () => {
  const out = await mkdtemp(join(tmpdir(), 'rt-engine-page-'));
  await buildPage(fileURLToPath(new URL('./engine-page/', import.meta.url)), out);
  const served = await serveStatic(out);
  server = served.server;
  browser = await openBrowser();
  const page = await browser.newPage();
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(served.url);
  await page.waitForFunction(() => (window as unknown as { __report?: unknown }).__report, undefined, { timeout: 90_000 });
  report = (await page.evaluate(() => (window as unknown as { __report: unknown }).__report)) as Record<string, unknown>;
});
afterAll(async () => {
  await browser?.close();
  server?.close();
});

describe('browser engine', () => {
  it('loads the verified core from its own origin, never a CDN', () => {
    expect(report.error).toBeUndefined();
    expect(requests.some((u) => u.endsWith('/ffmpeg-core/ffmpeg-core.wasm'))).toBe(true);
    expect(requests.every((u) => u.startsWith('http://127.0.0.1:') || u.startsWith('blob:') || u.startsWith('data:'))).toBe(true);
  });

  it('encodes, probes (Blob input) and decodes (bytes input) like the Node engine', () => {
    expect(report).toMatchObject({ concurrency: 2, encodeExit: 0, codec: 'opus', decodeExit: 0 });
    expect(Math.abs((report.startTime as number) - 1.5)).toBeLessThan(0.025);
    // 2.5 s of 16 kHz mono PCM plus a WAV header.
    expect(Math.abs((report.wavBytes as number) - 2.5 * 32000)).toBeLessThan(4000);
  });

  it('reports garbage with a non-zero exit and the reason, and stops an aborted command for real', () => {
    expect(report.garbageExit).not.toBe(0);
    expect(report.garbageLog).toMatch(/Invalid data found/);
    expect(report.abortedCode).toBe('ENGINE_ABORTED');
    expect(report.afterAbortExit).toBe(0);
  });

  it('closing fails running and queued commands with ENGINE_CLOSED', () => {
    expect(report.closedCodes).toEqual(['ENGINE_CLOSED', 'ENGINE_CLOSED', 'ENGINE_CLOSED']);
  });
});
