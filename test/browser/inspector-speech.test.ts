/**
 * The inspector shows who spoke when and what: after rendering in the browser, every row's speech
 * regions (the same numbers the CLI finds) and the crosstalk on the ruler; with a transcript.json
 * dropped beside the tracks, its words under the rows they were spoken on, their times on hover.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedEngine } from '../helpers/shared-engine.ts';
import { processFiles } from '../../src/pipeline/process-files.ts';
import { speakerOfTimeline } from '../../src/recordings/speaker-names.ts';
import type { Timeline } from '../../src/timeline/types.ts';
import { transcribeTimeline } from '../../src/transcription/transcribe-timeline.ts';
import { createTranscriber } from '../../src/transcription/transcriber.ts';
import type { Transcript } from '../../src/transcription/transcript.ts';
import { ALICE, BOB } from '../fixtures/meeting.ts';
import { openInspector } from '../helpers/browser.ts';
import { writeSpeechTrack } from '../helpers/speech-meeting.ts';
import { startTranscriberStandIn } from '../helpers/transcriber-server.ts';

let page: Page;
let close: () => Promise<void>;
let cli: Timeline;
let transcript: Transcript;

beforeAll(async () => {
  const engine = await sharedEngine();
  const dir = await mkdtemp(join(tmpdir(), 'rt-inspector-speech-'));
  const server = await startTranscriberStandIn();
  try {
    const tracks = await Promise.all([
      writeSpeechTrack(
        engine,
        {
          participantId: ALICE,
          startSec: 0.5,
          endSec: 12,
          noiseDb: -60,
          utterances: [
            { clip: 'm1.ogg', atSec: 1 },
            { clip: 'm2.ogg', atSec: 7 },
          ],
        },
        dir,
      ),
      writeSpeechTrack(engine, { participantId: BOB, startSec: 1, endSec: 12, noiseDb: -60, utterances: [{ clip: 'f2.ogg', atSec: 3 }] }, dir),
    ]);
    const out = join(dir, 'out');
    cli = (
      await processFiles(
        tracks.map((t) => t.path),
        { engine, outDir: out },
      )
    ).timeline;
    ({ transcript } = await transcribeTimeline({
      engine,
      transcriber: createTranscriber({ apiUrl: server.url }),
      timeline: cli,
      renderedPath: (t) => join(out, t.output!),
      speakerOf: speakerOfTimeline(cli),
      workDir: dir,
    }));
    const transcriptPath = join(dir, 'transcript.json');
    await writeFile(transcriptPath, JSON.stringify(transcript));
    ({ page, close } = await openInspector([...tracks.map((t) => t.path), transcriptPath]));
    await page.waitForFunction(() => (document.getElementById('mixdown') as HTMLAudioElement).src !== '', undefined, { timeout: 180_000 });
  } finally {
    await server.close();
  }
}, 240_000);
afterAll(() => close?.());

describe('inspector: speech, crosstalk and words', () => {
  it('draws each row’s speech regions, as the CLI finds them', async () => {
    for (const track of cli.tracks) {
      const regions = await page.$$eval(`.row[data-track-file="${track.file}"] .speech`, (els) =>
        els.map((e) => ({ startMs: Number(e.getAttribute('data-speech-start-ms')), endMs: Number(e.getAttribute('data-speech-end-ms')) })),
      );
      expect(regions).toEqual(track.speech);
      expect(regions.length).toBeGreaterThan(0);
    }
  });

  it('marks the crosstalk on the ruler', async () => {
    const marks = await page.$$eval('.ruler .crosstalk', (els) =>
      els.map((e) => ({ startMs: Number(e.getAttribute('data-crosstalk-start-ms')), endMs: Number(e.getAttribute('data-crosstalk-end-ms')) })),
    );
    expect(marks).toEqual(cli.crosstalk!.map(({ startMs, endMs }) => ({ startMs, endMs })));
    expect(marks.length).toBeGreaterThan(0);
  });

  it('puts the dropped transcript’s words under their rows, times on hover', async () => {
    for (const track of cli.tracks) {
      const words = await page.$$eval(`.row[data-track-file="${track.file}"] .word`, (els) =>
        els.map((e) => [e.textContent, Number(e.getAttribute('data-word-start-ms'))]),
      );
      expect(words).toEqual(transcript.words.filter((w) => w.file === track.file).map((w) => [w.text, w.startMs]));
    }
    const first = transcript.words[0]!;
    const title = await page.getAttribute(`.word[data-word-start-ms="${first.startMs}"]`, 'title');
    expect(title).toContain(first.speaker);
    expect(title).toMatch(/\d:\d{2}\.\d{3} → \d:\d{2}\.\d{3}/);
    // The transcript is not taken for media: no skipped input.
    expect(await page.$$eval('#skipped li', (els) => els.length)).toBe(0);
  });
});
