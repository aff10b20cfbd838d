/**
 * Daily's event JSON dropped on the inspector beside gapless WAV/AAC tracks: the same timeline as
 * the CLI (rows at the event offsets, muted gaps marked as mutes, names from track-added) and the
 * chat on the ruler.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { sharedEngine } from '../helpers/shared-engine.ts';
import { syntheticTracks } from '../helpers/synthetic-tracks.ts';
import { sortInputFiles } from '../../src/pipeline/input-files.ts';
import { inspectFiles } from '../../src/pipeline/process-files.ts';
import type { Timeline } from '../../src/timeline/types.ts';
import { dailyEventJson, mediaBaseName, type EventTrackSpec } from '../helpers/daily-event-json.ts';
import { openInspector } from '../helpers/browser.ts';

const SPECS: EventTrackSpec[] = [
  {
    participantId: 'aaaaaaaa-1111-4111-8111-111111111111',
    displayName: 'Ann',
    contentType: 'audio/wav',
    track: { name: '', kind: 'wav-gapless', startSec: 0.4, endSec: 9, mutesSec: [[3, 5]], beepsSec: [2] },
  },
  {
    participantId: 'bbbbbbbb-2222-4222-8222-222222222222',
    displayName: 'Bob',
    contentType: 'audio/mp4',
    track: { name: '', kind: 'aac-gapless', startSec: 4.3, endSec: 10, beepsSec: [6] },
  },
];
let page: Page;
let close: () => Promise<void>;
let cli: Timeline;
let inputs: string[];
/** What `inspect` does with the files it is given: the event JSON sorted out by content, the rest probed. */
const inspectCli = async (paths: readonly string[]) => {
  const sorted = await sortInputFiles(paths, {});
  return inspectFiles(sorted.media, sorted.options);
};

beforeAll(async () => {
  const engine = await sharedEngine();
  const dir = await mkdtemp(join(tmpdir(), 'rt-inspector-events-'));
  const names = SPECS.map((s) => `${mediaBaseName(s)}${s.contentType === 'audio/wav' ? '.wav' : '.aac'}`);
  const paths = await syntheticTracks(
    engine,
    SPECS.map((s, i) => ({ ...s.track, name: names[i]! })),
    dir,
  );
  const events = join(dir, 'events.json');
  await writeFile(events, JSON.stringify(dailyEventJson(SPECS, [{ atSec: 4, name: 'Bob', text: 'can you hear me?' }])));
  // A second event log, under another name, for the last test.
  const other = join(dir, 'other-events.json');
  await writeFile(other, JSON.stringify(dailyEventJson(SPECS)));
  inputs = [...paths, events, other];
  cli = await inspectCli([...paths, events]);
  ({ page, close } = await openInspector([...paths, events]));
});
afterAll(() => close?.());

describe('inspector with the event JSON', () => {
  it('shows the tracks where the event JSON puts them, as the CLI does, with their names and mutes', async () => {
    const rows = await page.$$eval('.row', (els) => els.map((e) => [e.getAttribute('data-track-file'), Number(e.getAttribute('data-offset-ms'))]));
    expect(rows).toEqual(cli.tracks.map((t) => [t.file, t.offsetMs]));
    expect(rows.map(([, offset]) => offset)).toEqual([400, 4300]);
    expect(
      await page.$$eval('.gap[data-gap-kind="muted"]', (els) =>
        els.map((e) => [Number(e.getAttribute('data-gap-start-ms')), Number(e.getAttribute('data-gap-end-ms'))]),
      ),
    ).toEqual([[3000, 5000]]);
    expect(await page.textContent('#timeline')).toContain('Ann');
  });

  it('names every row by its speaker from the event JSON, counts mutes apart from lost packets, and has a legend', async () => {
    expect(await page.$$eval('.row', (els) => els.map((e) => e.getAttribute('data-speaker')))).toEqual(['Ann', 'Bob']);
    expect(await page.$$eval('.row .name .speaker', (els) => els.map((e) => e.textContent))).toEqual(['Ann', 'Bob']);
    expect(await page.textContent('#summary [data-count="mutes"] strong')).toBe('1');
    expect(await page.textContent('#summary [data-count="lost"] strong')).toBe(
      String(cli.tracks.flatMap((t) => t.gaps).filter((g) => g.kind === 'lost').length),
    );
    const legend = await page.$$eval('.legend [data-legend]', (els) => els.map((e) => e.getAttribute('data-legend')));
    expect(legend).toEqual(
      expect.arrayContaining(['track', 'waveform', 'gap-muted', 'gap-lost', 'gap-no-packets', 'speech', 'crosstalk', 'chat', 'word', 'playhead']),
    );
  });

  it('marks the chat on the ruler', async () => {
    expect(await page.$$eval('.ruler .chat', (els) => els.map((e) => [Number(e.getAttribute('data-chat-at-ms')), e.getAttribute('title')]))).toEqual([
      [4000, '0:04.000 Bob: can you hear me?'],
    ]);
  });

  // Last: it leaves the page in its error state.
  it('refuses two event logs as the CLI does (one sorter, src/pipeline/sort-inputs.ts), naming both', async () => {
    await expect(inspectCli(inputs)).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('(events.json, other-events.json)') });
    await page.setInputFiles('#files', inputs);
    await page.waitForSelector('#app[data-state="error"]', { timeout: 60_000 });
    expect(await page.textContent('#status')).toContain('more than one Daily event JSON among the inputs (events.json, other-events.json)');
  });
});
