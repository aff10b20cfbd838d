/**
 * Daily's event JSON, parsed (pure): recording start from the media URI, offsets from
 * mediaStartTime, mutes from pauses, removal, chat; and the timeline built from it for gapless
 * tracks, with and without the JSON.
 */
import { describe, expect, it } from 'vitest';
import { eventTrackOf, isDailyEventJson, parseDailyEvents } from '../../src/timeline/daily-events.ts';
import { buildTimeline } from '../../src/timeline/build-timeline.ts';
import { parseDailyTrackName } from '../../src/timeline/daily-track-name.ts';
import type { ProbeResult } from '../../src/probe/probe-media.ts';
import { dailyEventJson, mediaBaseName, type EventTrackSpec } from '../helpers/daily-event-json.ts';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const specs: EventTrackSpec[] = [
  { track: { name: 'a', startSec: 0.4, endSec: 20, mutesSec: [[5, 7]] }, participantId: A, displayName: 'Ann', contentType: 'audio/wav' },
  { track: { name: 'b', startSec: 12.3, endSec: 30 }, participantId: B, displayName: 'Bob', contentType: 'audio/mp4' },
];
const gapless = (endMs: number, container = 'WAVE'): ProbeResult => ({
  container,
  truncated: null,
  videoCodecs: [],
  audio: { codec: 'pcm-s16', sampleRateHz: 48000, channels: 1, firstMs: 0, endMs, packetCount: 100, coveredMs: endMs, holesMs: 0, gaps: [], damage: [] },
});

describe('Daily event JSON', () => {
  it('is recognised by its content and parsed: start, offsets, names, mutes, removal, chat', () => {
    const json = dailyEventJson(specs, [{ atSec: 3.5, name: 'Ann', text: 'hi all' }]);
    expect(isDailyEventJson(json)).toBe(true);
    expect(isDailyEventJson({ events: [] })).toBe(false);
    expect(isDailyEventJson({ Records: [] })).toBe(false);
    const log = parseDailyEvents(json);
    expect(log.recordingStartMs).toBe(1_700_000_000_000);
    const a = eventTrackOf(log, `${mediaBaseName(specs[0]!)}.wav`)!;
    expect(a).toMatchObject({
      displayName: 'Ann',
      offsetMs: 400,
      contentType: 'audio/wav',
      mutes: [{ startMs: 5000, endMs: 7000 }],
      removedAtMs: 20000,
      fileName: `${mediaBaseName(specs[0]!)}.wav`,
    });
    expect(eventTrackOf(log, mediaBaseName(specs[0]!))).toBe(a); // without the extension too
    expect(eventTrackOf(log, `${mediaBaseName(specs[1]!)}.aac`)).toMatchObject({ displayName: 'Bob', offsetMs: 12300, contentType: 'audio/mp4' });
    expect(log.chat).toEqual([{ atMs: 3500, name: 'Ann', text: 'hi all' }]);
  });

  it('places gapless tracks by the event offsets, mutes as muted gaps, names from track-added', () => {
    const log = parseDailyEvents(dailyEventJson(specs));
    const files = [`${mediaBaseName(specs[0]!)}.wav`, `${mediaBaseName(specs[1]!)}.aac`];
    const t = buildTimeline(
      files.map((file, i) => ({ file, daily: parseDailyTrackName(file), probe: gapless(i ? 17_700 : 19_600, i ? 'ADTS' : 'WAVE') })),
      { events: { file: 'events.json', log } },
    );
    expect(t.tracks.map((x) => [x.offsetMs, x.offsetSource, x.endMs, x.displayName])).toEqual([
      [400, 'events', 20000, 'Ann'],
      [12300, 'events', 30000, 'Bob'],
    ]);
    expect(t.tracks[0]!.gaps).toEqual([{ startMs: 5000, endMs: 7000, kind: 'muted' }]);
    expect(t.tracks[0]!.presenceMs).toBe(17600);
    expect(t.eventsFile).toBe('events.json');
  });

  it('without the JSON places gapless tracks by the file name (never at 0), with a warning; a nameless one is skipped', () => {
    const files = [`${mediaBaseName(specs[1]!)}.aac`];
    const t = buildTimeline(files.map((file) => ({ file, daily: parseDailyTrackName(file), probe: gapless(17_700, 'ADTS') })));
    expect(t.tracks[0]).toMatchObject({ offsetSource: 'filename', offsetMs: 12300 + 209 });
    expect(t.tracks[0]!.warnings[0]).toMatch(/placed by its file name: no event JSON came with it/);
    const log = parseDailyEvents(dailyEventJson([{ ...specs[1]!, noMediaStarted: true }, specs[0]!]));
    const nameless = buildTimeline([{ file: 'upload.wav', daily: null, probe: gapless(5000) }], { events: { file: 'e.json', log } });
    expect(nameless.tracks).toEqual([]);
    expect(nameless.skipped).toEqual([
      { file: 'upload.wav', code: 'TIMELINE_NO_OFFSET', reason: expect.stringContaining('cannot be placed: the event JSON does not list it') },
    ]);
  });

  it("corrects a name-placed gapless track by the WebM tracks' median container-vs-name delta", () => {
    const webm = `${mediaBaseName(specs[0]!)}`; // name offset 609 ms, container 400 ms: delta -209
    const aac = `${mediaBaseName(specs[1]!)}.aac`;
    const t = buildTimeline([
      {
        file: webm,
        daily: parseDailyTrackName(webm),
        probe: { ...gapless(20_000, 'WebM'), audio: { ...gapless(20_000).audio!, codec: 'opus', firstMs: 400 } },
      },
      { file: aac, daily: parseDailyTrackName(aac), probe: gapless(17_700, 'ADTS') },
    ]);
    expect(t.tracks.find((x) => x.file === aac)).toMatchObject({ offsetSource: 'filename', offsetMs: 12300 });
  });

  it('says when the JSON names a file that is not among the inputs, and when it cannot be used', () => {
    const log = parseDailyEvents(dailyEventJson(specs));
    const file = `${mediaBaseName(specs[0]!)}.wav`;
    const t = buildTimeline([{ file, daily: parseDailyTrackName(file), probe: gapless(19_600) }], { events: { file: 'e.json', log } });
    expect(t.warnings).toContainEqual(expect.stringMatching(/names .*\.aac \(Bob\), which is not among the inputs/));
    expect(() => parseDailyEvents({ events: [{ ts: 1, type: 'track-added', data: {} }] })).toThrow(/recording start is unknown/);
  });
});
