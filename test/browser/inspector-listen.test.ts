/**
 * Listening to a stored recording in the inspector, served by `serve` on PostgreSQL with its
 * objects on the S3 emulator: the audio routes answer byte ranges (206 with the exact bytes, 416
 * past the end, passed through to S3's GetObject); a click on a lane plays from there; Solo plays
 * one track through its audio route; the keys (space, arrows, + −) work; the page fits 900 px
 * with no CSP violation. The 900 px screenshot goes to test/.artifacts/ (its path printed).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from 'h3';
import type { FauxqsServer } from 'fauxqs';
import type { Page } from 'playwright-core';
import type { Engine } from '../../src/engine/engine.ts';
import { sharedEngine } from '../helpers/shared-engine.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { processFiles } from '../../src/pipeline/process-files.ts';
import { syntheticTracks } from '../helpers/synthetic-tracks.ts';
import type { Timeline } from '../../src/timeline/types.ts';
import { TRACKS } from '../fixtures/meeting.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { testApp } from '../helpers/app.ts';
import { startEmulatedStores } from '../helpers/emulated-stores.ts';
import { openBrowser, type TestBrowser } from '../helpers/browser.ts';
import { storeProcessedRecording } from '../helpers/stored-recording.ts';

let engine: Engine;
let t: TestDatabase;
let fauxqs: FauxqsServer;
let browser: TestBrowser;
let server: ReturnType<typeof serve>;
let timeline: Timeline;
let dir: string;
let page: Page;
let signed: string;
let base: string;
let files: Map<string, Buffer>;
let trackIds: Map<string, string>;
const requests: Array<{ path: string; range: string | undefined }> = [];
const cspViolations: string[] = [];
const artifacts = fileURLToPath(new URL('../.artifacts/', import.meta.url));

beforeAll(async () => {
  engine = await sharedEngine();
  dir = await mkdtemp(join(tmpdir(), 'rt-inspector-listen-'));
  const paths = await syntheticTracks(engine, [TRACKS.fromZero, TRACKS.lateJoiner], dir);
  const out = join(dir, 'processed');
  timeline = (await processFiles(paths, { engine, outDir: out })).timeline;
  t = await createTestDatabase('postgres');
  await migrateToLatest(t.handle.db);
  const emulated = await startEmulatedStores();
  fauxqs = emulated.fauxqs;
  const { app, deps, as } = await testApp(t.handle.db, { debuggerDist: inject('inspectorDist'), stores: emulated.stores });
  const stored = await storeProcessedRecording(t.handle.db, deps.stores.transcripts, out, timeline);
  ({ files, trackIds } = stored);
  server = serve(app, { port: 0, hostname: '127.0.0.1', silent: true });
  await server.ready();
  const { inspectorUrl } = (await (await fetch(new URL(`/v1/recordings/${stored.recordingId}`, server.url!), { headers: as('admin') })).json()) as {
    inspectorUrl: string;
  };
  const link = new URL(inspectorUrl, server.url!);
  signed = `expires=${link.searchParams.get('expires')}&signature=${link.searchParams.get('signature')}`;
  base = new URL(`/v1/recordings/${stored.recordingId}/`, server.url!).href;
  browser = await openBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('request', (request) => requests.push({ path: new URL(request.url()).pathname, range: request.headers().range }));
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await page.goto(link.href);
  await page.waitForSelector('#timeline[data-peaks-drawn]', { timeout: 30_000 });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await fauxqs?.stop();
  await t?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const audioState = () =>
  page.$eval('#mixdown', (a) => {
    const audio = a as HTMLAudioElement;
    return { src: audio.src, source: audio.dataset.source, paused: audio.paused, ms: audio.currentTime * 1000 };
  });

describe('listening to a stored recording', () => {
  it('answers byte ranges on the mixdown and a track’s render, from S3: 206 with the exact bytes, 416 past the end', async () => {
    const track = timeline.tracks[0]!;
    for (const [route, bytes, type] of [
      ['audio', files.get('mixdown.mp3')!, 'audio/mpeg'],
      [`tracks/${trackIds.get(track.file)}/audio`, files.get(track.output!)!, 'audio/webm'],
    ] as const) {
      const url = `${base}${route}?${signed}`;
      const whole = await fetch(url);
      expect(whole.status, route).toBe(200);
      expect(whole.headers.get('accept-ranges')).toBe('bytes');
      expect(whole.headers.get('content-type')).toBe(type);
      expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);
      for (const [range, start, end] of [
        ['bytes=100-1099', 100, 1099],
        [`bytes=${bytes.length - 10}-`, bytes.length - 10, bytes.length - 1],
        ['bytes=-64', bytes.length - 64, bytes.length - 1],
      ] as const) {
        const part = await fetch(url, { headers: { range } });
        expect(part.status, `${route} ${range}`).toBe(206);
        expect(part.headers.get('content-range')).toBe(`bytes ${start}-${end}/${bytes.length}`);
        expect(part.headers.get('accept-ranges')).toBe('bytes');
        expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(start, end + 1))).toBe(true);
      }
      const past = await fetch(url, { headers: { range: `bytes=${bytes.length}-` } });
      expect(past.status).toBe(416);
      expect(past.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
      expect(((await past.json()) as { error: { code: string } }).error.code).toBe('RANGE_NOT_SATISFIABLE');
    }
    // The same guards as the peaks: no credential, a forged link.
    const render = `${base}tracks/${trackIds.get(track.file)}/audio`;
    expect((await fetch(render)).status).toBe(401);
    expect((await fetch(`${render}?expires=9999999999&signature=bad`)).status).toBe(403);
  });

  it('plays from a clicked point: the player seeks there and plays, streaming the mixdown by ranges', async () => {
    expect(requests.filter((r) => r.path.endsWith('/audio'))).toEqual([]);
    const lane = (await page.$('.row .lane'))!;
    const box = (await lane.boundingBox())!;
    const [fromMs, toMs] = await page.$eval('.tracks', (e) => [Number((e as HTMLElement).dataset.viewFromMs), Number((e as HTMLElement).dataset.viewToMs)]);
    const clickedMs = fromMs + 0.4 * (toMs - fromMs);
    await page.mouse.click(box.x + 0.4 * box.width, box.y + box.height / 2);
    await page.waitForFunction((ms) => {
      const audio = document.querySelector('#mixdown') as HTMLAudioElement;
      return !audio.paused && audio.currentTime * 1000 > ms;
    }, clickedMs - 200);
    const state = await audioState();
    expect(state.source).toBe('mixdown');
    expect(state.ms).toBeGreaterThan(clickedMs - 200);
    expect(state.ms).toBeLessThan(clickedMs + 3000);
    const mixdown = requests.filter((r) => r.path.endsWith(`${new URL(base).pathname}audio`));
    expect(mixdown.length).toBeGreaterThan(0);
    expect(mixdown[0]!.range).toMatch(/^bytes=\d+-/);
    // The playhead follows: it sits over the lanes, and moves on.
    const at = await page.$eval('.playhead', (e) => (e as HTMLElement).getBoundingClientRect().left);
    await page.waitForFunction((left) => (document.querySelector('.playhead') as HTMLElement).getBoundingClientRect().left > left, at);
  });

  it('solos one track: its audio route plays from where the mixdown was', async () => {
    const track = timeline.tracks.find((x) => x.offsetMs > 1000)!;
    // Playing the mixdown at 9 s (the page has had its click: play() is allowed).
    await page.evaluate(async () => {
      const audio = document.querySelector('#mixdown') as HTMLAudioElement;
      audio.currentTime = 9;
      await audio.play();
    });
    const before = (await audioState()).ms;
    await page.click(`.row[data-track-file="${track.file}"] button.solo`);
    await page.waitForFunction((file) => {
      const audio = document.querySelector('#mixdown') as HTMLAudioElement;
      return audio.dataset.source === file && !audio.paused && audio.currentTime > 0;
    }, track.file);
    const state = await audioState();
    expect(new URL(state.src).pathname).toBe(`${new URL(base).pathname}tracks/${trackIds.get(track.file)}/audio`);
    expect(state.ms).toBeGreaterThanOrEqual(before - 100);
    expect(requests.some((r) => r.path === new URL(state.src).pathname)).toBe(true);
    expect(await page.getAttribute(`.row[data-track-file="${track.file}"] button.solo`, 'aria-pressed')).toBe('true');
    expect(await page.getAttribute('.listen-mixdown', 'aria-pressed')).toBe('false');
    await page.click('.listen-mixdown');
    await page.waitForFunction(() => (document.querySelector('#mixdown') as HTMLAudioElement).dataset.source === 'mixdown');
    expect(await page.getAttribute(`.row[data-track-file="${track.file}"] button.solo`, 'aria-pressed')).toBe('false');
  });

  it('answers the keys: space plays and pauses, arrows seek 5 s, + and − zoom', async () => {
    // Keys on the page itself (a focused button takes space as its own click).
    await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      const audio = document.querySelector('#mixdown') as HTMLAudioElement;
      audio.pause();
      audio.currentTime = 2;
    });
    await page.keyboard.press('Space');
    await page.waitForFunction(() => !(document.querySelector('#mixdown') as HTMLAudioElement).paused);
    await page.keyboard.press('Space');
    await page.waitForFunction(() => (document.querySelector('#mixdown') as HTMLAudioElement).paused);
    const pausedMs = (await audioState()).ms;
    expect(pausedMs).toBeGreaterThanOrEqual(2000);
    await page.keyboard.press('ArrowRight');
    expect((await audioState()).ms).toBeCloseTo(pausedMs + 5000, -1);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect((await audioState()).ms).toBe(0);
    const span = () => page.$eval('.tracks', (e) => Number((e as HTMLElement).dataset.viewToMs) - Number((e as HTMLElement).dataset.viewFromMs));
    const fitted = await span();
    await page.keyboard.press('+');
    expect(await span()).toBeLessThan(fitted * 0.7);
    await page.keyboard.press('-');
    expect(await span()).toBeCloseTo(fitted, -1);
    // Zoomed in, the view turns to the page the playhead moves onto.
    for (let i = 0; i < 3; i++) await page.keyboard.press('+');
    const view = () => page.$eval('.tracks', (e) => [Number((e as HTMLElement).dataset.viewFromMs), Number((e as HTMLElement).dataset.viewToMs)]);
    expect((await view())[1]).toBeLessThan(9000);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => Number((document.querySelector('.tracks') as HTMLElement).dataset.viewFromMs) > 0);
    const [from, to] = await view();
    expect(from).toBeLessThanOrEqual(10_000);
    expect(to).toBeGreaterThanOrEqual(10_000);
    for (let i = 0; i < 3; i++) await page.keyboard.press('-');
    // Typing in the words search is typing, not a key of the player.
    await page.press('#find-word', 'Space');
    expect(await page.inputValue('#find-word')).toBe(' ');
    expect((await audioState()).paused).toBe(true);
    await page.fill('#find-word', '');
  });

  it('fits 900 px with its controls labelled, focus visible and no CSP violation', async () => {
    await page.setViewportSize({ width: 900, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(900);
    const unlabelled = await page.$$eval('button, input, select, audio', (els) =>
      els.filter((e) => !(e.getAttribute('aria-label') || e.textContent?.trim() || e.closest('label'))).map((e) => e.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    await page.focus('.row button.solo');
    expect(await page.$eval('.row button.solo', (e) => getComputedStyle(e).outlineStyle)).not.toBe('none');
    expect(await page.$$eval('.row[role="group"][aria-label]', (els) => els.length)).toBe(timeline.tracks.length);
    expect(cspViolations).toEqual([]);
    // Beside the dropped-files screenshot (test/.artifacts/, kept: the README shows it).
    await mkdir(artifacts, { recursive: true });
    const shot = join(artifacts, 'inspector-listen-900px.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`screenshot: ${shot}`);
  });
});
