/**
 * The inspector served by the server at /debugger/ under its Content-Security-Policy: a
 * processed recording's stored timeline, mixdown and words through the API's signed link (and
 * not without it), and ffmpeg.wasm running in its workers with no CSP violation.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get } from 'node:http';
import { serve } from 'h3';
import type { Engine } from '../../src/engine/engine.ts';
import { sharedEngine } from '../helpers/shared-engine.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { processFiles } from '../../src/pipeline/process-files.ts';
import type { Timeline } from '../../src/timeline/types.ts';
import type { TranscriptWord } from '../../src/transcription/transcript.ts';
import { fixtureMeeting } from '../helpers/fixture-meeting.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { testApp } from '../helpers/app.ts';
import { storeTranscribedWords } from '../helpers/stored-recording.ts';
import { openBrowser, type TestBrowser } from '../helpers/browser.ts';

let engine: Engine;
let t: TestDatabase;
let browser: TestBrowser;
let server: ReturnType<typeof serve>;
let timeline: Timeline;
let recordingId: string;
let inspectorUrl: string;
let lateJoiner: string;
let words: TranscriptWord[];
const cspViolations: string[] = [];

beforeAll(async () => {
  engine = await sharedEngine();
  const meeting = await fixtureMeeting();
  const out = join(meeting.dir, 'processed');
  const processed = await processFiles([meeting.paths.lateJoiner, meeting.paths.fromZero], { engine, outDir: out, trackFormat: 'wav' });
  timeline = processed.timeline;
  t = await createTestDatabase('postgres');
  await migrateToLatest(t.handle.db);
  lateJoiner = meeting.paths.lateJoiner;
  const { app, deps, as } = await testApp(t.handle.db, { debuggerDist: inject('inspectorDist') });
  const { db } = t.handle;
  const recording = await db
    .insertInto('recordings')
    .values({ platform: 'daily', platform_recording_id: 'dbg', bucket: 'daily', object_keys: '[]', status: 'processed' })
    .returning('id')
    .executeTakeFirstOrThrow();
  recordingId = recording.id;
  const transcript = await db.insertInto('transcripts').values({ recording_id: recording.id, status: 'ready' }).returning('id').executeTakeFirstOrThrow();
  await deps.stores.transcripts.put(`${transcript.id}/timeline.json`, await readFile(processed.timelinePath));
  await deps.stores.transcripts.put(`${transcript.id}/audio.mp3`, createReadStream(processed.mixdownPath));
  // Its words, as the transcription job stores them (transcribe-recording.ts).
  const joiner = timeline.tracks[0]!;
  words = [
    { text: 'Hello', startMs: joiner.offsetMs + 900, endMs: joiner.offsetMs + 1300, speaker: 'Ann', participantId: joiner.participantId, file: joiner.file },
    { text: 'again.', startMs: joiner.offsetMs + 7400, endMs: joiner.offsetMs + 7800, speaker: 'Ann', participantId: joiner.participantId, file: joiner.file },
  ];
  await storeTranscribedWords(db, deps.stores.transcripts, transcript.id, timeline.durationMs, words);
  server = serve(app, { port: 0, hostname: '127.0.0.1', silent: true });
  await server.ready();
  ({ inspectorUrl } = (await (await fetch(new URL(`/v1/recordings/${recordingId}`, server.url!), { headers: as('admin') })).json()) as {
    inspectorUrl: string;
  }); // no meeting: admins only
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t?.drop();
});

describe('inspector at /debugger/', () => {
  const newPage = async () => {
    const page = await browser.newPage();
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    return page;
  };

  it('loads a processed recording through its signed link and shows its stored timeline and mixdown', async () => {
    const page = await newPage();
    const response = await page.goto(new URL(inspectorUrl, server.url!).href);
    expect(response!.headers()['content-security-policy']).toContain("'wasm-unsafe-eval'");
    await page.waitForSelector('#app[data-state="ready"]', { timeout: 30_000 });
    const rows = await page.$$eval('.row', (els) =>
      els.map((e) => [
        e.getAttribute('data-track-file'),
        Number(e.getAttribute('data-offset-ms')),
        Number(e.getAttribute('data-end-ms')),
        Number(e.getAttribute('data-duration-ms')),
      ]),
    );
    expect(rows).toEqual(timeline.tracks.map((x) => [x.file, x.offsetMs, x.endMs, x.endMs - x.offsetMs]));
    // The stored speech per row, and the stored words under the row they were spoken on.
    expect(await page.$$eval('.speech', (els) => els.length)).toBe(timeline.tracks.reduce((n, x) => n + x.speech!.length, 0));
    const shown = await page.$$eval(`.row[data-track-file="${words[0]!.file}"] .word`, (els) =>
      els.map((e) => [e.textContent, Number(e.getAttribute('data-word-start-ms')), e.getAttribute('title')]),
    );
    expect(shown.map(([text, startMs]) => [text, startMs])).toEqual(words.map((w) => [w.text, w.startMs]));
    expect(shown[0]![2]).toMatch(/^Ann: “Hello” \d:\d{2}\.\d{3} → \d:\d{2}\.\d{3}$/);
    await page.waitForFunction(() => (document.getElementById('mixdown') as HTMLAudioElement).src !== '');
    const wasm = await (await fetch(new URL('/debugger/ffmpeg-core/ffmpeg-core.wasm', server.url!))).arrayBuffer();
    expect(wasm.byteLength).toBe(32_232_419);
    expect(cspViolations).toEqual([]);
  });

  it('does not open a recording without a valid link', async () => {
    const page = await newPage();
    await page.goto(new URL(`/debugger/?recording=${recordingId}`, server.url!).href);
    await page.waitForSelector('#app[data-state="error"]', { timeout: 30_000 });
    expect(await page.textContent('body')).toContain('link is missing, invalid or expired');
    expect(await page.$$('.row')).toHaveLength(0);
  });

  it('runs ffmpeg.wasm in its workers under the CSP: a dropped track is rendered and mixed with no violation', async () => {
    const page = await newPage();
    await page.goto(new URL('/debugger/', server.url!).href);
    await page.setInputFiles('#files', [lateJoiner]);
    await page.waitForSelector('#app[data-state="ready"]', { timeout: 60_000 });
    await page.waitForFunction(() => (document.getElementById('mixdown') as HTMLAudioElement).src !== '', undefined, { timeout: 120_000 });
    expect(await page.$$('.row')).toHaveLength(1);
    expect(cspViolations).toEqual([]);
  });

  it('releases the previous analysis: one playhead loop however often files are dropped', async () => {
    const page = await newPage();
    // Count the animation-frame callbacks waiting at any moment: each live playhead loop keeps one.
    await page.addInitScript(() => {
      const pending = new Set<number>();
      const raf = window.requestAnimationFrame.bind(window);
      const caf = window.cancelAnimationFrame.bind(window);
      window.requestAnimationFrame = (cb) => {
        const id = raf((t) => {
          pending.delete(id);
          cb(t);
        });
        pending.add(id);
        return id;
      };
      window.cancelAnimationFrame = (id) => {
        pending.delete(id);
        caf(id);
      };
      (window as unknown as { pendingFrames: () => number }).pendingFrames = () => pending.size;
    });
    await page.goto(new URL('/debugger/', server.url!).href);
    for (let i = 0; i < 2; i++) {
      await page.setInputFiles('#files', [lateJoiner]);
      await page.waitForSelector('#app[data-state="ready"]', { timeout: 60_000 });
    }
    await page.waitForFunction(() => (document.getElementById('mixdown') as HTMLAudioElement).src !== '', undefined, { timeout: 120_000 });
    expect(await page.evaluate(() => (window as unknown as { pendingFrames: () => number }).pendingFrames())).toBeLessThanOrEqual(1);
  });

  it('never serves files outside its directory', async () => {
    for (const path of ['/debugger/..%2f..%2fpackage.json', '/debugger/%2e%2e/%2e%2e/package.json']) {
      const status = await new Promise<number>((resolve) => get(new URL(path, server.url!), (res) => resolve(res.statusCode ?? 0)).end());
      expect(status, path).not.toBe(200);
    }
  });

  it('says how to build it when it is not built', async () => {
    const { app } = await testApp(t.handle.db, { debuggerDist: await mkdtemp(join(tmpdir(), 'rt-empty-')) });
    const response = await app.request('/debugger/');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'NOT_BUILT', message: expect.stringContaining('npm run build:debugger') } });
  });
});
