/**
 * Daily's newer raw-tracks, end to end on the real wasm engine: gapless WAV and AAC tracks (first
 * sample = the participant's first media, mutes silent inside) with the event JSON among the
 * inputs, recognised by content under any name. Placed by the JSON within 15 ms, mutes reported as
 * muted gaps and silent, names from track-added, chat kept; without the JSON placed by the file
 * name within 300 ms with a warning; a missing recording-media-started and a JSON naming an
 * absent file say so.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../../src/engine/engine.ts';
import { sharedEngine } from '../helpers/shared-engine.ts';
import type { SyntheticTrack } from '../../src/demo/synthetic-meeting.ts';
import { syntheticTracks } from '../helpers/synthetic-tracks.ts';
import { sortInputFiles } from '../../src/pipeline/input-files.ts';
import { inspectFiles, processFiles } from '../../src/pipeline/process-files.ts';
import type { Timeline } from '../../src/timeline/types.ts';
import { dailyEventJson, mediaBaseName, type EventTrackSpec } from '../helpers/daily-event-json.ts';
import { decodeToPcm } from '../helpers/decode.ts';
import { firstSoundMs, peakIn } from '../helpers/wav.ts';

const BEEP_THRESHOLD = 16000;
const ANN = 'aaaaaaaa-1111-4111-8111-111111111111';
const BOB = 'bbbbbbbb-2222-4222-8222-222222222222';
const CAT = 'cccccccc-3333-4333-8333-333333333333';
const DAN = 'dddddddd-4444-4444-8444-444444444444';
const track = (startSec: number, endSec: number, extra: Partial<SyntheticTrack>): SyntheticTrack => ({ name: '', startSec, endSec, ...extra });
const SPECS: EventTrackSpec[] = [
  {
    participantId: ANN,
    displayName: 'Ann',
    contentType: 'audio/wav',
    track: track(0.4, 24, { kind: 'wav-gapless', mutesSec: [[5, 8]], beepsSec: [2, 10.7], toneHz: 300 }),
  },
  { participantId: BOB, displayName: 'Bob', contentType: 'audio/mp4', track: track(12.3, 30, { kind: 'aac-gapless', beepsSec: [14, 21.5], toneHz: 350 }) },
  { participantId: CAT, displayName: 'Cat', contentType: 'audio/wav', track: track(31.5, 38, { kind: 'wav-gapless', beepsSec: [33], toneHz: 400 }) },
  // Ann again after a reconnect: a second session, a second gapless file.
  { participantId: ANN, displayName: 'Ann', contentType: 'audio/wav', track: track(26, 29.5, { kind: 'wav-gapless', beepsSec: [27.2], toneHz: 300 }) },
  // An untranscoded WebM track beside them: placed by its container, as always.
  { participantId: DAN, displayName: 'Dan', contentType: 'audio/webm', track: track(3, 18, { kind: 'opus-webm', beepsSec: [4.4], toneHz: 450 }) },
];
const extension = { 'audio/wav': '.wav', 'audio/mp4': '.aac', 'audio/webm': '' } as const;
const fileOf = (s: EventTrackSpec) => `${mediaBaseName(s)}${extension[s.contentType]}`;

let engine: Engine;
let dir: string;
let paths: string[];
let eventsPath: string;
let timeline: Timeline;

beforeAll(async () => {
  engine = await sharedEngine();
  dir = await mkdtemp(join(tmpdir(), 'rt-gapless-'));
  paths = await syntheticTracks(
    engine,
    SPECS.map((s) => ({ ...s.track, name: fileOf(s) })),
    dir,
  );
  // Any name: recognised by content, as the CLI sorts the files it is given.
  eventsPath = join(dir, 'meeting-metadata');
  await writeFile(eventsPath, JSON.stringify(dailyEventJson(SPECS, [{ atSec: 6.5, name: 'Ann', text: 'brb' }])));
  const sorted = await sortInputFiles([...paths, eventsPath], {});
  timeline = (await processFiles(sorted.media, { ...sorted.options, engine, outDir: join(dir, 'out'), trackFormat: 'wav' })).timeline;
});

const trackOf = (t: Timeline, s: EventTrackSpec) => t.tracks.find((x) => x.file === fileOf(s))!;

describe('gapless WAV/AAC tracks with the event JSON', () => {
  it('places each by its event offset, and the WebM track by its container with the event delta reported', () => {
    expect(timeline.eventsFile).toBe('meeting-metadata');
    expect(timeline.skipped).toEqual([]);
    for (const s of SPECS.slice(0, 4))
      expect(trackOf(timeline, s)).toMatchObject({ offsetSource: 'events', offsetMs: s.track.startSec * 1000, displayName: s.displayName });
    // The reconnect: one participant, two files, each at its own session's start.
    expect(timeline.tracks.filter((t) => t.participantId === ANN).map((t) => t.offsetMs)).toEqual([400, 26000]);
    const dan = trackOf(timeline, SPECS[4]!);
    expect(dan.offsetSource).toBe('container');
    expect(Math.abs(dan.offsetMs - 3000)).toBeLessThanOrEqual(15);
    expect(Math.abs(dan.eventDeltaMs!)).toBeLessThanOrEqual(15);
    expect(timeline.chat).toEqual([{ atMs: 6500, name: 'Ann', text: 'brb' }]);
  });

  it('puts every beep of the rendered tracks within 15 ms of its meeting time', async () => {
    for (const s of SPECS) {
      const pcm = await decodeToPcm(engine, join(dir, 'out', trackOf(timeline, s).output!));
      for (const beep of s.track.beepsSec ?? []) {
        const at = firstSoundMs(pcm, BEEP_THRESHOLD, beep * 1000 - 400);
        expect(Math.abs(at! - beep * 1000), `${s.displayName} beep at ${beep} s`).toBeLessThanOrEqual(15);
      }
    }
  });

  it("reports the JSON's mutes as muted gaps (within 60 ms) that are silent in the output", async () => {
    const ann = trackOf(timeline, SPECS[0]!);
    expect(ann.gaps.filter((g) => g.kind === 'muted')).toEqual([{ startMs: 5000, endMs: 8000, kind: 'muted' }]);
    const pcm = await decodeToPcm(engine, join(dir, 'out', ann.output!));
    expect(peakIn(pcm, 5060, 7940)).toBeLessThan(50);
    expect(peakIn(pcm, 4000, 4900)).toBeGreaterThan(1000); // the open mic's tone, for contrast
  });
});

describe('without the event JSON, or with an incomplete one', () => {
  it('places gapless tracks by their file names within 300 ms, with a warning, never at 0', async () => {
    const t = await inspectFiles(paths);
    for (const s of SPECS.slice(0, 4)) {
      const x = trackOf(t, s);
      expect(x.offsetSource).toBe('filename');
      expect(Math.abs(x.offsetMs - s.track.startSec * 1000), s.displayName).toBeLessThanOrEqual(300);
      expect(x.warnings.join(' ')).toMatch(/placed by its file name .*no event JSON came with it/);
    }
  });

  it('names a missing recording-media-started and a listed file that is absent', async () => {
    const partial = join(dir, 'events-partial.json');
    await writeFile(partial, JSON.stringify(dailyEventJson([{ ...SPECS[2]!, noMediaStarted: true }, ...SPECS.slice(0, 2)])));
    const sorted = await sortInputFiles([paths[0]!, paths[2]!, partial], {});
    const t = await inspectFiles(sorted.media, sorted.options);
    expect(trackOf(t, SPECS[2]!)).toMatchObject({ offsetSource: 'filename' });
    expect(trackOf(t, SPECS[2]!).warnings.join(' ')).toContain('the event JSON has no recording-media-started for it');
    expect(t.warnings).toContainEqual(expect.stringMatching(/names .*\.aac \(Bob\), which is not among the inputs/));
  });
});
