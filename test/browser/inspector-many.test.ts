/**
 * The inspector with twenty participants: every row shown with its numbers, rows stay legible.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { Engine } from '../../src/engine/engine.ts';
import { sharedEngine } from '../helpers/shared-engine.ts';
import { dailyName, type SyntheticTrack } from '../../src/demo/synthetic-meeting.ts';
import { syntheticTracks } from '../helpers/synthetic-tracks.ts';
import { inspectFiles } from '../../src/pipeline/process-files.ts';
import { openInspector } from '../helpers/browser.ts';

let engine: Engine;
let page: Page;
let close: () => Promise<void>;
let paths: string[];

const participant = (i: number) => `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`;

beforeAll(async () => {
  engine = await sharedEngine();
  const dir = await mkdtemp(join(tmpdir(), 'rt-many-'));
  const tracks: SyntheticTrack[] = Array.from({ length: 20 }, (_, i) => ({
    name: dailyName(participant(i + 1), 'cam-audio', i * 0.5),
    startSec: i * 0.5,
    endSec: 12 + (i % 5),
    mutesSec: i % 3 === 0 ? [[9.5, 11]] : [],
    toneHz: 200 + i * 20,
  }));
  paths = await syntheticTracks(engine, tracks, dir);
  ({ page, close } = await openInspector(paths, { width: 1440, height: 1400 }));
});
afterAll(async () => {
  await close?.();
});

describe('inspector with 20 tracks', () => {
  it('shows all twenty rows with the timeline numbers, in rows of equal, compact height', async () => {
    const expected = await inspectFiles(paths);
    const rows = await page.$$eval('.row', (els) =>
      els.map((e) => ({
        file: e.getAttribute('data-track-file'),
        offsetMs: Number(e.getAttribute('data-offset-ms')),
        height: e.getBoundingClientRect().height,
      })),
    );
    expect(rows.map(({ file, offsetMs }) => ({ file, offsetMs }))).toEqual(expected.tracks.map((t) => ({ file: t.file, offsetMs: t.offsetMs })));
    expect(rows).toHaveLength(20);
    const tall = await page.$$eval('.row', (els) => els.filter((e) => e.getBoundingClientRect().height >= 80).map((e) => e.textContent));
    expect(tall).toEqual([]);
    await page.waitForFunction(() => (document.getElementById('mixdown') as HTMLAudioElement).src !== '', undefined, { timeout: 180_000 });
    const artifacts = fileURLToPath(new URL('../.artifacts/', import.meta.url));
    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'inspector-20-tracks.png'), fullPage: true });
  });
});
