/**
 * The inspector shows whose voice is whose: two colleagues in one room (each mic hears the other at
 * −16 dB, 6 ms later; Bob's track placed 45 ms late, so the audio warns BLEED_LAG), rendered in the browser. Every row's bleed-only stretches are drawn as
 * `.bleed` (never as speech) with the numbers the CLI finds and a title naming whose voice it is;
 * the summary counts the bleed paths.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedEngine } from '../helpers/shared-engine.ts';
import { processFiles } from '../../src/pipeline/process-files.ts';
import type { BleedLagWarning, Timeline } from '../../src/timeline/types.ts';
import { ALICE, BOB } from '../fixtures/meeting.ts';
import { openInspector } from '../helpers/browser.ts';
import { writeBleedMeeting } from '../helpers/bleed-meeting.ts';

let page: Page;
let close: () => Promise<void>;
let cli: Timeline;
let dir: string;

beforeAll(async () => {
  const engine = await sharedEngine();
  dir = await mkdtemp(join(tmpdir(), 'rt-inspector-bleed-'));
  const tracks = await writeBleedMeeting(
    engine,
    {
      alice: { participantId: ALICE, startSec: 0.5, endSec: 14, noiseDb: -60, utterances: [{ clip: 'm1.ogg', atSec: 1 }] },
      bob: { participantId: BOB, startSec: 0.5, endSec: 14, noiseDb: -60, utterances: [{ clip: 'f2.ogg', atSec: 7 }] },
    },
    // Bob's track sits 45 ms late on the timeline: 6 ms of air becomes 51 ms one way, −39 ms the other (BLEED_LAG).
    [
      { from: 'alice', to: 'bob', levelDb: -16, lagMs: 6 + 45 },
      { from: 'bob', to: 'alice', levelDb: -16, lagMs: 6 - 45 },
    ],
    dir,
  );
  const paths = Object.values(tracks).map((t) => t.path);
  cli = (await processFiles(paths, { engine, outDir: join(dir, 'out') })).timeline;
  ({ page, close } = await openInspector(paths));
  await page.waitForFunction(() => (document.getElementById('mixdown') as HTMLAudioElement).src !== '', undefined, { timeout: 180_000 });
}, 240_000);
afterAll(async () => {
  await close?.();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('inspector: bleed', () => {
  it('draws each row’s bleed-only stretches as the CLI finds them, naming whose voice, never as speech', async () => {
    for (const track of cli.tracks) {
      const source = cli.tracks.find((t) => t.file !== track.file)!;
      const bleed = await page.$$eval(`.row[data-track-file="${track.file}"] .bleed`, (els) =>
        els.map((e) => ({
          startMs: Number(e.getAttribute('data-bleed-start-ms')),
          endMs: Number(e.getAttribute('data-bleed-end-ms')),
          from: e.getAttribute('data-bleed-from'),
          title: e.getAttribute('title'),
        })),
      );
      expect(bleed.map(({ startMs, endMs, from }) => ({ startMs, endMs, from }))).toEqual(
        track.bleed!.map((b) => ({ startMs: b.startMs, endMs: b.endMs, from: b.fromParticipantId })),
      );
      expect(bleed.length).toBeGreaterThan(0);
      for (const b of bleed) expect(b.title).toContain(source.participantId!.slice(0, 8));
      const speech = await page.$$eval(`.row[data-track-file="${track.file}"] .speech`, (els) =>
        els.map((e) => ({ startMs: Number(e.getAttribute('data-speech-start-ms')), endMs: Number(e.getAttribute('data-speech-end-ms')) })),
      );
      expect(speech).toEqual(track.speech);
      for (const b of bleed) expect(speech.some((s) => s.startMs < b.endMs && b.startMs < s.endMs)).toBe(false);
    }
  });

  it('shows the BLEED_LAG warning with its code, as the CLI finds it', async () => {
    const coded = cli.warnings.filter((w): w is BleedLagWarning => typeof w !== 'string');
    expect(coded.map((w) => [w.code, w.fromParticipantId, w.toParticipantId])).toEqual([['BLEED_LAG', ALICE, BOB]]);
    const shown = await page.$$eval('#skipped p.warning[data-code]', (els) => els.map((e) => [e.getAttribute('data-code'), e.textContent]));
    expect(shown).toEqual([['BLEED_LAG', `⚠ BLEED_LAG: ${coded[0]!.message}`]]);
  });

  it('counts the bleed paths in the summary', async () => {
    expect(await page.getAttribute('#summary .bleed-pairs', 'data-bleed-pairs')).toBe(String(cli.bleedPairs!.length));
    expect(cli.bleedPairs!.length).toBe(2);
  });
});
