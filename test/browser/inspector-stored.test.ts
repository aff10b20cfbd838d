/**
 * A stored recording in the inspector served by `serve` on PostgreSQL: rows named by the API's
 * rule (the platform's participant record, else "Speaker N"), one participant's files together in
 * one colour, the legend, waveforms drawn from the stored peaks files with no audio downloaded
 * (the page's requests are recorded), and the words found by the search box. A screenshot goes to
 * a temporary folder whose path is printed (kept with RT_KEEP_SCREENSHOTS=1, removed otherwise).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from 'h3';
import type { Page } from 'playwright-core';
import type { Engine } from '../../src/engine/engine.ts';
import { sharedEngine } from '../helpers/shared-engine.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { processFiles } from '../../src/pipeline/process-files.ts';
import { syntheticTracks } from '../helpers/synthetic-tracks.ts';
import type { Timeline } from '../../src/timeline/types.ts';
import type { TranscriptWord } from '../../src/transcription/transcript.ts';
import { ALICE, BOB, DAN, TRACKS } from '../fixtures/meeting.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { testApp } from '../helpers/app.ts';
import { storeTranscribedWords } from '../helpers/stored-recording.ts';
import { openBrowser, type TestBrowser } from '../helpers/browser.ts';

let engine: Engine;
let t: TestDatabase;
let browser: TestBrowser;
let server: ReturnType<typeof serve>;
let timeline: Timeline;
let dir: string;
let shots: string;
let recordingId: string;
let inspectorUrl: string;
let page: Page;
const requests: string[] = [];
const trackIds = new Map<string, string>();

beforeAll(async () => {
  engine = await sharedEngine();
  dir = await mkdtemp(join(tmpdir(), 'rt-inspector-stored-'));
  shots = await mkdtemp(join(tmpdir(), 'rt-inspector-shots-'));
  const paths = await syntheticTracks(engine, [TRACKS.lateJoiner, TRACKS.reconnectA, TRACKS.fromZero, TRACKS.reconnectB], dir);
  const out = join(dir, 'processed');
  const processed = await processFiles(paths, { engine, outDir: out });
  timeline = processed.timeline;
  t = await createTestDatabase('postgres');
  await migrateToLatest(t.handle.db);
  const { app, deps, as } = await testApp(t.handle.db, { debuggerDist: inject('inspectorDist') });
  const { db } = t.handle;
  const meeting = await db
    .insertInto('meetings')
    .values({ platform: 'daily', room_name: 'stored', origin: 'discovered' })
    .returning('id')
    .executeTakeFirstOrThrow();
  // The platform named Alice (participant.joined); nobody named Bob or Dan.
  await db.insertInto('participants').values({ meeting_id: meeting.id, platform_participant_id: ALICE, display_name: 'Alice Platform' }).execute();
  const recording = await db
    .insertInto('recordings')
    .values({ meeting_id: meeting.id, platform: 'daily', platform_recording_id: 'stored', bucket: 'daily', object_keys: '[]', status: 'processed' })
    .returning('id')
    .executeTakeFirstOrThrow();
  recordingId = recording.id;
  const transcript = await db.insertInto('transcripts').values({ recording_id: recording.id, status: 'ready' }).returning('id').executeTakeFirstOrThrow();
  for (const track of timeline.tracks) {
    const row = await db
      .insertInto('tracks')
      .values({
        recording_id: recording.id,
        participant_id: track.participantId,
        object_key: `raw/${track.file}`,
        offset_ms: Math.round(track.offsetMs),
        duration_ms: Math.round(track.durationMs),
        gaps: JSON.stringify(track.gaps),
        status: 'rendered',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    trackIds.set(track.file, row.id);
    await deps.stores.transcripts.put(`${transcript.id}/${track.peaks}`, await readFile(join(out, track.peaks!)));
  }
  await deps.stores.transcripts.put(`${transcript.id}/timeline.json`, await readFile(processed.timelinePath));
  await deps.stores.transcripts.put(`${transcript.id}/audio.mp3`, createReadStream(processed.mixdownPath));
  const late = timeline.tracks.find((x) => x.participantId === ALICE)!;
  const words: TranscriptWord[] = [
    { text: 'Hello', startMs: late.offsetMs + 900, endMs: late.offsetMs + 1300, speaker: 'Alice Platform', participantId: ALICE, file: late.file },
    { text: 'again.', startMs: late.offsetMs + 7400, endMs: late.offsetMs + 7800, speaker: 'Alice Platform', participantId: ALICE, file: late.file },
    { text: 'hello!', startMs: late.offsetMs + 11_000, endMs: late.offsetMs + 11_400, speaker: 'Alice Platform', participantId: ALICE, file: late.file },
  ];
  await storeTranscribedWords(db, deps.stores.transcripts, transcript.id, timeline.durationMs, words);
  server = serve(app, { port: 0, hostname: '127.0.0.1', silent: true });
  await server.ready();
  ({ inspectorUrl } = (await (await fetch(new URL(`/v1/recordings/${recordingId}`, server.url!), { headers: as('admin') })).json()) as {
    inspectorUrl: string;
  });
  browser = await openBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(new URL(inspectorUrl, server.url!).href);
  await page.waitForSelector('#timeline[data-peaks-drawn]', { timeout: 30_000 });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
  if (shots && !process.env.RT_KEEP_SCREENSHOTS) await rm(shots, { recursive: true, force: true });
});

describe('a stored recording in the inspector', () => {
  it('names every row by the API rule, keeps one participant’s files together in one colour', async () => {
    const rows = await page.$$eval('.row', (els) =>
      els.map((e) => [e.getAttribute('data-speaker'), e.getAttribute('data-participant-id'), (e.querySelector('.swatch') as HTMLElement).style.background]),
    );
    // Alice has the platform's name; the unnamed are Speaker N in order of first appearance: Bob at 0 s, Dan at 2 s.
    const named: Record<string, string> = { [ALICE]: 'Alice Platform', [BOB]: 'Speaker 1', [DAN]: 'Speaker 2' };
    expect(rows.map(([speaker, participant]) => [participant, speaker])).toEqual(
      timeline.tracks
        .map((x) => [x.participantId, named[x.participantId!]])
        .sort(
          // the timeline's order, Dan's second file beside his first
          (a, b) => timeline.tracks.findIndex((x) => x.participantId === a[0]) - timeline.tracks.findIndex((x) => x.participantId === b[0]),
        ),
    );
    const dan = rows.flatMap(([, participant, colour], i) => (participant === DAN ? [[i, colour]] : []));
    expect(dan).toHaveLength(2);
    expect(dan[1]![0]).toBe(Number(dan[0]![0]) + 1);
    expect(dan[1]![1]).toBe(dan[0]![1]);
    expect(new Set(rows.map(([, , colour]) => colour)).size).toBe(3);
    expect(await page.$$eval('.legend [data-legend]', (els) => els.length)).toBeGreaterThanOrEqual(9);
  });

  it('draws every waveform from the stored peaks, with no audio downloaded', async () => {
    expect(await page.getAttribute('#timeline', 'data-peaks-drawn')).toBe(String(timeline.tracks.length));
    const peaksRequests = requests.filter((url) => new URL(url).pathname.endsWith('/peaks'));
    expect(peaksRequests.map((url) => new URL(url).pathname).sort()).toEqual(
      [...trackIds.values()].map((id) => `/v1/recordings/${recordingId}/tracks/${id}/peaks`).sort(),
    );
    for (const url of peaksRequests) expect(new URL(url).searchParams.get('signature')).toBeTruthy();
    // Nothing audio: no mixdown, no render, no ffmpeg core.
    expect(requests.filter((url) => /\/audio\b|\.mp3|\.webm|ffmpeg-core/.test(new URL(url).pathname))).toEqual([]);
    // Ink on every canvas: the waveform is drawn.
    const inked = await page.$$eval('.row canvas.wave', (canvases) =>
      canvases.map((c) => {
        const { data } = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height);
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
        return n;
      }),
    );
    expect(inked).toHaveLength(timeline.tracks.length);
    for (const n of inked) expect(n).toBeGreaterThan(50);
    const shot = join(shots, 'stored-recording.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`screenshot: ${shot}`);
  });

  it('serves the peaks only under the recording’s guards', async () => {
    const id = trackIds.values().next().value!;
    const bare = await fetch(new URL(`/v1/recordings/${recordingId}/tracks/${id}/peaks`, server.url!));
    expect(bare.status).toBe(401);
    const forged = await fetch(new URL(`/v1/recordings/${recordingId}/tracks/${id}/peaks?expires=9999999999&signature=bad`, server.url!));
    expect(forged.status).toBe(403);
    const link = new URL(inspectorUrl, server.url!);
    const signed = `expires=${link.searchParams.get('expires')}&signature=${link.searchParams.get('signature')}`;
    const unknown = await fetch(new URL(`/v1/recordings/${recordingId}/tracks/00000000-0000-4000-8000-000000000000/peaks?${signed}`, server.url!));
    expect(unknown.status).toBe(404);
  });

  it('finds the words under the rows with the search box', async () => {
    await page.fill('#find-word', 'AGAIN');
    await page.press('#find-word', 'Enter');
    expect(await page.textContent('.word.current')).toBe('again.');
    expect(await page.textContent('.find output')).toBe('1 of 1');
    await page.fill('#find-word', 'hello');
    await page.press('#find-word', 'Enter');
    await page.press('#find-word', 'Enter');
    expect(await page.textContent('.word.current')).toBe('hello!');
    expect(await page.textContent('.find output')).toBe('2 of 2');
    await page.press('#find-word', 'Shift+Enter');
    expect(await page.textContent('.word.current')).toBe('Hello');
    // The view moved onto the word: it lies between the ruler's ends.
    const shown = await page.$eval('.word.current', (e) => {
      const box = e.getBoundingClientRect();
      const lane = e.closest('.lane')!.getBoundingClientRect();
      return box.left >= lane.left && box.right <= lane.right;
    });
    expect(shown).toBe(true);
    await page.fill('#find-word', 'nowhere');
    await page.press('#find-word', 'Enter');
    expect(await page.textContent('.find output')).toBe('not found');
  });
});
