/**
 * The track timeline inspector in headless Chromium: the same files through the file input show
 * exactly the offsets and gaps of the CLI's timeline.json, and the in-browser mixdown has the
 * meeting's duration. Leaves a screenshot in test/.artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { Engine } from '../../src/engine/engine.ts';
import { sharedEngine } from '../helpers/shared-engine.ts';
import { processFiles } from '../../src/pipeline/process-files.ts';
import type { Timeline } from '../../src/timeline/types.ts';
import { fixtureMeeting, type FixtureMeeting } from '../helpers/fixture-meeting.ts';
import { openInspector } from '../helpers/browser.ts';

const artifacts = fileURLToPath(new URL('../.artifacts/', import.meta.url));
let engine: Engine;
let meeting: FixtureMeeting;
let page: Page;
let close: () => Promise<void>;
let cli: Timeline;
let inputs: string[];

beforeAll(async () => {
  engine = await sharedEngine();
  meeting = await fixtureMeeting();
  inputs = [
    meeting.paths.lateJoiner,
    meeting.paths.fromZero,
    meeting.paths.reconnectA,
    meeting.paths.reconnectB,
    meeting.paths.lostPackets,
    meeting.paths.dtx,
    meeting.paths.videoOnly,
    meeting.garbage,
  ];
  const out = join(meeting.dir, 'cli');
  await processFiles(inputs, { engine, outDir: out });
  cli = JSON.parse(await readFile(join(out, 'timeline.json'), 'utf8')) as Timeline;
  ({ page, close } = await openInspector(inputs));
});
afterAll(async () => {
  await close?.();
});

describe('track timeline inspector', () => {
  it('shows every track at the offsets, filename offsets and durations of the CLI timeline', async () => {
    const rows = await page.$$eval('.row', (els) =>
      els.map((e) => ({
        file: e.getAttribute('data-track-file'),
        offsetMs: Number(e.getAttribute('data-offset-ms')),
        filenameOffsetMs: e.getAttribute('data-filename-offset-ms') === '' ? null : Number(e.getAttribute('data-filename-offset-ms')),
        endMs: Number(e.getAttribute('data-end-ms')),
        durationMs: Number(e.getAttribute('data-duration-ms')),
        gaps: [...e.querySelectorAll('.gap')].map((g) => ({
          startMs: Number(g.getAttribute('data-gap-start-ms')),
          endMs: Number(g.getAttribute('data-gap-end-ms')),
          kind: g.getAttribute('data-gap-kind'),
        })),
      })),
    );
    expect(rows).toEqual(
      cli.tracks.map((t) => ({
        file: t.file,
        offsetMs: t.offsetMs,
        filenameOffsetMs: t.filenameOffsetMs,
        endMs: t.endMs,
        durationMs: t.endMs - t.offsetMs,
        gaps: t.gaps,
      })),
    );
    expect(rows.length).toBe(6);
    expect(rows.reduce((n, r) => n + r.gaps.length, 0)).toBeGreaterThan(10);
  });

  it('lists the skipped inputs with their reasons', async () => {
    const skipped = await page.$$eval('#skipped li', (els) => els.map((e) => e.textContent));
    expect(skipped).toEqual(cli.skipped.map((s) => `${s.file} — ${s.reason}`));
  });

  it("renders the mixdown in the browser with the meeting's duration (±50 ms), and keeps a screenshot", async () => {
    await page.waitForFunction(() => (document.getElementById('mixdown') as HTMLAudioElement).src !== '', undefined, { timeout: 180_000 });
    const durationSec = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const audio = document.getElementById('mixdown') as HTMLAudioElement;
          if (Number.isFinite(audio.duration) && audio.duration > 0) resolve(audio.duration);
          else audio.addEventListener('loadedmetadata', () => resolve(audio.duration), { once: true });
        }),
    );
    expect(Math.abs(durationSec * 1000 - cli.durationMs)).toBeLessThanOrEqual(50);
    await page.evaluate(() => ((document.getElementById('mixdown') as HTMLAudioElement).currentTime = 9));
    await page.mouse.move(900, 330);
    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'inspector.png'), fullPage: true });
  });

  it('solos a dropped track from the render in memory (meeting time 0 → the track’s end)', async () => {
    const track = cli.tracks.find((x) => x.offsetMs > 1000) ?? cli.tracks[0]!;
    await page.click(`.row[data-track-file="${track.file}"] button.solo`);
    const solo = await page.evaluate(
      () =>
        new Promise<{ src: string; source: string | undefined; durationSec: number }>((resolve) => {
          const audio = document.getElementById('mixdown') as HTMLAudioElement;
          const done = () => resolve({ src: audio.src, source: audio.dataset.source, durationSec: audio.duration });
          if (Number.isFinite(audio.duration) && audio.readyState > 0) done();
          else audio.addEventListener('loadedmetadata', done, { once: true });
        }),
    );
    expect(solo.src).toMatch(/^blob:/);
    expect(solo.source).toBe(track.file);
    expect(Math.abs(solo.durationSec * 1000 - track.endMs)).toBeLessThanOrEqual(50);
    await page.click('.listen-mixdown');
  });

  it('exports the same timeline JSON', async () => {
    const href = await page.getAttribute('#export-timeline', 'href');
    const exported = (await page.evaluate(async (url) => (await fetch(url!)).json(), href)) as Timeline;
    // The page's renders and peaks are its memory, not files: the export names none.
    expect(exported).toEqual({ ...cli, tracks: cli.tracks.map((t) => ({ ...t, output: null, peaks: null })) });
  });
});
