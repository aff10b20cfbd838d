/**
 * How long the inspector takes to draw a long stored recording from its stored files: a 3-hour,
 * 10-participant recording (synthetic peaks files, 1.08 M points each, in the format the pipeline
 * writes) behind `serve` on PGlite and the local store, opened through its signed link in
 * Chromium. Reports, per run: the page's load to every waveform drawn (`performance.now()` at
 * `#timeline[data-peaks-drawn]`), the part from the timeline's arrival (fetch, parse, draw of
 * the peaks: `data-peaks-draw-ms`), and one zoom-in redraw.
 *
 *   npm run bench:inspector [-- --runs 3] [--profile]   (--profile: where the page's time goes, page-profile.ts)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serve } from 'h3';
import { build } from 'vite';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { openStores } from '../../src/storage/open-stores.ts';
import { encodePeaks } from '../../src/mix/peaks.ts';
import type { Timeline, TimelineTrack } from '../../src/timeline/types.ts';
import { createTestDatabase } from '../helpers/databases.ts';
import { testApp } from '../helpers/app.ts';
import { launchChromium } from '../helpers/browser.ts';
import { resourceTimings, startProfile } from './page-profile.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, profile: { type: 'boolean', default: false } } });
const HOURS = 3;
const PARTICIPANTS = 10;
const durationMs = HOURS * 3_600_000;
const points = durationMs / 10;

/** A peaks file of `points` points: speech-like bursts over silence (header from the pipeline's writer). */
const syntheticPeaks = (seed: number): Uint8Array => {
  const header = encodePeaks(new Int16Array(0), 8000);
  const bytes = new Uint8Array(header.length + 2 * points);
  bytes.set(header);
  new DataView(bytes.buffer).setUint32(16, points, true);
  const data = new Int8Array(bytes.buffer, header.length);
  for (let p = 0; p < points; p++) {
    const talking = Math.sin((p + seed * 977) / (300 + seed * 31)) > 0.3;
    const level = talking ? Math.round(20 + 90 * Math.abs(Math.sin(p * 0.37 + seed))) : 1;
    data[2 * p] = -level;
    data[2 * p + 1] = level;
  }
  return bytes;
};

const dist = await mkdtemp(join(tmpdir(), 'rt-bench-inspector-'));
await build({
  configFile: fileURLToPath(new URL('../../web-debugger/vite.config.ts', import.meta.url)),
  logLevel: 'error',
  build: { outDir: dist, emptyOutDir: true },
});
const t = await createTestDatabase('pglite');
await migrateToLatest(t.handle.db);
const objects = await mkdtemp(join(tmpdir(), 'rt-bench-objects-'));
const opened = await openStores({
  kind: 'local',
  rootDir: objects,
  publicUrl: 'http://rt.test',
  buckets: { transcripts: 'transcripts', whereby: 'whereby', daily: 'daily' },
});
const { app, deps, as } = await testApp(t.handle.db, { debuggerDist: dist, ...opened });
const { db } = t.handle;
const recording = await db
  .insertInto('recordings')
  .values({ platform: 'daily', platform_recording_id: 'bench', bucket: 'daily', object_keys: '[]', status: 'processed' })
  .returning('id')
  .executeTakeFirstOrThrow();
const transcript = await db.insertInto('transcripts').values({ recording_id: recording.id, status: 'ready' }).returning('id').executeTakeFirstOrThrow();
const tracks: TimelineTrack[] = [];
for (let i = 0; i < PARTICIPANTS; i++) {
  const participantId = `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`;
  const file = `1700000000000-${participantId}-cam-audio-1700000000000`;
  const gaps = Array.from({ length: 60 }, (_, g) => ({ startMs: g * 180_000 + 60_000, endMs: g * 180_000 + 90_000, kind: 'muted' as const }));
  tracks.push({
    file,
    participantId,
    trackName: 'cam-audio',
    codec: 'opus',
    offsetMs: 0,
    offsetSource: 'container',
    containerOffsetMs: 0,
    filenameOffsetMs: 0,
    offsetDeltaMs: 0,
    eventOffsetMs: null,
    eventDeltaMs: null,
    displayName: `Participant ${i + 1}`,
    endMs: durationMs,
    durationMs,
    gaps,
    presenceMs: durationMs - 60 * 30_000,
    speech: null,
    talkMs: null,
    bleed: null,
    bleedMs: null,
    output: `tracks/${file}.webm`,
    peaks: `tracks/${file}.webm.peaks.dat`,
    render: 'copy',
    packetsDropped: 0,
    warnings: [],
  });
  await db
    .insertInto('tracks')
    .values({ recording_id: recording.id, participant_id: participantId, object_key: `raw/${file}`, status: 'rendered', gaps: '[]' })
    .execute();
  await deps.stores.transcripts.put(`${transcript.id}/tracks/${file}.webm.peaks.dat`, Buffer.from(syntheticPeaks(i)));
}
const timeline: Timeline = {
  durationMs,
  recordingStartMs: 1_700_000_000_000,
  gapThresholdMs: 500,
  tracks,
  skipped: [],
  presenceOverlaps: [],
  presenceOverlapMs: 0,
  crosstalk: null,
  crosstalkMs: null,
  bleedPairs: null,
  chat: [],
  eventsFile: null,
  warnings: [],
};
await deps.stores.transcripts.put(`${transcript.id}/timeline.json`, Buffer.from(JSON.stringify(timeline)));
const server = serve(app, { port: 0, hostname: '127.0.0.1', silent: true });
await server.ready();
const { inspectorUrl } = (await (await fetch(new URL(`/v1/recordings/${recording.id}`, server.url!), { headers: as('admin') })).json()) as {
  inspectorUrl: string;
};
{
  // The server's part alone: the ten peaks files fetched at once through the signed link.
  const link = new URL(inspectorUrl, server.url!);
  const started = performance.now();
  const rows = await db.selectFrom('tracks').select('id').where('recording_id', '=', recording.id).execute();
  await Promise.all(
    rows.map(async (r) => {
      const url = new URL(`/v1/recordings/${recording.id}/tracks/${r.id}/peaks?${link.searchParams}`, server.url!);
      const { byteLength } = await (await fetch(url)).arrayBuffer();
      if (byteLength !== 2 * points + 24) throw new Error(`peaks: ${byteLength} bytes`);
    }),
  );
  console.log(`server: ${rows.length} peaks files served in ${Math.round(performance.now() - started)} ms`);
}
const browser = await launchChromium();
try {
  const [load1] = (await import('node:os')).loadavg();
  console.log(`load average ${load1!.toFixed(1)} on ${(await import('node:os')).availableParallelism()} cores: wall times scale with it`);
  console.log(`${PARTICIPANTS} tracks × ${HOURS} h, ${(points / 1e6).toFixed(2)} M points (${((2 * points + 24) / 1e6).toFixed(2)} MB) each`);
  for (let run = 0; run < Number(values.runs); run++) {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // The server runs in this process: its CPU over the page's load (with playwright's client, a small part).
    const cpuBefore = process.cpuUsage();
    // Profiling: a page of the same origin first, so the profiler is attached before the inspector loads.
    if (values.profile) await page.goto(new URL('/healthz', server.url!).href);
    const profile = values.profile ? await startProfile(page) : null;
    await page.goto(new URL(inspectorUrl, server.url!).href);
    await page.waitForSelector('#timeline[data-peaks-drawn]', { timeout: 60_000 });
    // The page's own mark (stored-peaks.ts), from its navigation start.
    const loadToDrawnMs = await page.evaluate(() => performance.getEntriesByName('peaks-drawn')[0]?.startTime ?? performance.now());
    const cpu = process.cpuUsage(cpuBefore);
    const serverCpuMs = Math.round((cpu.user + cpu.system) / 1000);
    if (profile) console.log([...(await profile.stop()), 'requests (from navigation start):', ...(await resourceTimings(page))].join('\n'));
    const peaksMs = Number(await page.getAttribute('#timeline', 'data-peaks-draw-ms'));
    const drawn = await page.getAttribute('#timeline', 'data-peaks-drawn');
    const zoomMs = await page.evaluate(async () => {
      const started = performance.now();
      (document.querySelector('.zoom button[title^="zoom in"]') as HTMLButtonElement).click();
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      return performance.now() - started;
    });
    // Closer than the reduced peaks go: the file's own points of the span in view, by byte ranges.
    const deep = await page.evaluate(async () => {
      const started = performance.now();
      const ranged = () => performance.getEntriesByType('resource').filter((e) => e.name.includes('/peaks') && !e.name.includes('points=')).length;
      for (let i = 0; i < 12; i++) (document.querySelector('.zoom button[title^="zoom in"]') as HTMLButtonElement).click();
      while (ranged() < 10 && performance.now() - started < 30_000) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      const box = document.querySelector('.tracks') as HTMLElement;
      return { ms: performance.now() - started, requests: ranged(), spanSec: (Number(box.dataset.viewToMs) - Number(box.dataset.viewFromMs)) / 1000 };
    });
    console.log(
      `run ${run + 1}: zoomed to ${Math.round(deep.spanSec)} s: ${deep.requests} byte-range requests of the fine points, drawn in ${Math.round(deep.ms)} ms`,
    );
    console.log(
      `run ${run + 1}: ${drawn} waveforms; page load → all drawn ${Math.round(loadToDrawnMs)} ms; timeline → peaks fetched, parsed, drawn ${peaksMs} ms; zoom-in redraw ${Math.round(zoomMs)} ms; server CPU ${serverCpuMs} ms; load average ${loadavg()[0]!.toFixed(1)}`,
    );
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
  await t.drop();
  await Promise.all([dist, objects].map((d) => rm(d, { recursive: true, force: true })));
}
