/**
 * `BLEED_LAG`, the audio's own check of the timeline: two tracks that bleed into each other both
 * ways (mics in one room) whose lags say the timeline placed them more than 40 ms apart get one
 * coded top-level warning, `{code, message, …}`, named as the pair's `bleedPairs` entry from the
 * track placed early; the sentence warnings stay sentences, and the text consumers (the CLI's
 * lines, `inspect`'s table) print a coded one as `BLEED_LAG: message`. The engine-made meeting
 * with a pair placed 45 ms apart is test/speech/bleed-levels.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { parseDailyTrackName } from '../../src/timeline/daily-track-name.ts';
import { buildTimeline } from '../../src/timeline/build-timeline.ts';
import { formatTimelineTable, meetingWarnings } from '../../src/timeline/format-table.ts';
import { type BleedPairOf, withSpeech } from '../../src/timeline/speech-timeline.ts';
import type { Timeline } from '../../src/timeline/types.ts';
import { warningCode, warningText } from '../../src/timeline/warnings.ts';

const R = 1700000000000;
const id = (d: string) => `${d.repeat(8)}-${d.repeat(4)}-4${d.repeat(3)}-8${d.repeat(3)}-${d.repeat(12)}`;
const A = `${R}-${id('1')}-cam-audio-${R + 209}.webm`;
const B = `${R}-${id('2')}-cam-audio-${R + 209}.webm`;
const C = `${R}-${id('3')}-cam-audio-${R + 209}.webm`;

const base = (): Timeline =>
  buildTimeline(
    [A, B, C].map((file) => ({
      file,
      daily: parseDailyTrackName(file),
      probe: {
        container: 'WebM',
        truncated: null,
        videoCodecs: [],
        audio: { codec: 'opus', sampleRateHz: 48000, channels: 1, firstMs: 0, endMs: 60_000, packetCount: 1, coveredMs: 0, holesMs: 0, gaps: [], damage: [] },
      },
    })),
  );

const pair = (fromFile: string, toFile: string, lagMs: number): BleedPairOf => ({
  fromFile,
  toFile,
  lagMs,
  minLagMs: lagMs - 2,
  maxLagMs: lagMs + 2,
  bleedMs: 4000,
});

const analysed = (pairs: BleedPairOf[]) =>
  withSpeech(base(), new Map([A, B, C].map((f) => [f, [{ startMs: 1000, endMs: 3000 }]])), { byFile: new Map(), pairs });

const coded = (t: Timeline) => t.warnings.filter((w) => warningCode(w) === 'BLEED_LAG');

describe('BLEED_LAG', () => {
  it('names a pair placed 60 ms apart once, from the track placed early, with the lag', () => {
    // B placed 60 ms late, 5 ms of air: A's voice reaches B's mic 65 ms later on the timeline, B's reaches A's 55 ms earlier.
    const t = analysed([pair(A, B, 65), pair(B, A, -55)]);
    expect(coded(t)).toEqual([
      {
        code: 'BLEED_LAG',
        message: `${A} and ${B} hear each other (mics in one room) with lags of 65 and -55 ms: ${B} sits 60 ms late against ${A} on the timeline (more than 40 ms)`,
        fromParticipantId: id('1'),
        toParticipantId: id('2'),
        fromFile: A,
        toFile: B,
        lagMs: 65,
        backLagMs: -55,
        placementMs: 60,
      },
    ]);
    // The same pair listed the other way round names the same direction.
    expect(coded(analysed([pair(B, A, -55), pair(A, B, 65)]))).toEqual(coded(t));
  });

  it('stays quiet for a pair placed right, one 40 ms off, a one-way path and a speakerphone that hears a headset back', () => {
    expect(coded(analysed([pair(A, B, 6), pair(B, A, 6)]))).toEqual([]);
    expect(coded(analysed([pair(A, B, 42), pair(B, A, -38)]))).toEqual([]);
    expect(coded(analysed([pair(A, B, 65)]))).toEqual([]);
    // Round trips over the network (sum of lags far beyond air): not one room.
    expect(coded(analysed([pair(A, C, 300), pair(C, A, 180)]))).toEqual([]);
  });

  it('reads as `BLEED_LAG: message` in the CLI’s lines and inspect’s table, beside the sentence warnings', () => {
    const t = analysed([pair(A, B, 65), pair(B, A, -55)]);
    const withSentence: Timeline = { ...t, warnings: ['inputs come from 2 recordings', ...t.warnings] };
    const lines = meetingWarnings(withSentence);
    expect(lines).toEqual([
      'inputs come from 2 recordings',
      `BLEED_LAG: ${A} and ${B} hear each other (mics in one room) with lags of 65 and -55 ms: ${B} sits 60 ms late against ${A} on the timeline (more than 40 ms)`,
    ]);
    expect(withSentence.warnings.map(warningText)).toEqual(lines);
    expect(formatTimelineTable(withSentence).split('\n')).toContain(`  warn  ${lines[1]}`);
    // As JSON (timeline.json), the coded warning is an object, the sentence a string.
    expect(JSON.parse(JSON.stringify(withSentence.warnings)).map((w: unknown) => typeof w)).toEqual(['string', 'object']);
  });
});
