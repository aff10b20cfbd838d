import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../src/timeline/build-timeline.ts';
import { parseDailyTrackName } from '../../src/timeline/daily-track-name.ts';
import type { ProbedInput } from '../../src/timeline/types.ts';
import type { ProbeResult } from '../../src/probe/probe-media.ts';

const R = 1700000000000;
const name = (uuidDigit: string, filenameOffsetMs: number) =>
  `${R}-${uuidDigit.repeat(8)}-${uuidDigit.repeat(4)}-4${uuidDigit.repeat(3)}-8${uuidDigit.repeat(3)}-${uuidDigit.repeat(12)}-cam-audio-${R + filenameOffsetMs}`;

const audio = (firstMs: number, endMs: number, gaps: Array<{ startMs: number; endMs: number }> = []): ProbeResult => ({
  container: 'WebM',
  truncated: null,
  videoCodecs: [],
  audio: { codec: 'opus', sampleRateHz: 48000, channels: 1, firstMs, endMs, packetCount: 1, coveredMs: 0, holesMs: 0, gaps, damage: [] },
});

const probed = (file: string, probe: ProbeResult): ProbedInput => ({ file, daily: parseDailyTrackName(file), probe });

describe('timeline', () => {
  it('places tracks by the container, keeps the filename offset beside it, and measures the meeting by the latest end', () => {
    const t = buildTimeline([probed(name('1', 8339), audio(8130, 20000, [{ startMs: 11000, endMs: 13000 }])), probed(name('2', 209), audio(0, 16000))]);
    expect(t.durationMs).toBe(20000);
    expect(t.recordingStartMs).toBe(R);
    // endMs: where the track ends on the meeting timeline; durationMs: how long it is.
    expect(t.tracks.map((x) => [x.offsetMs, x.offsetSource, x.filenameOffsetMs, x.offsetDeltaMs, x.endMs, x.durationMs])).toEqual([
      [8130, 'container', 8339, -209, 20000, 11870],
      [0, 'container', 209, -209, 16000, 16000],
    ]);
    expect(t.tracks[0]).toMatchObject({
      participantId: '11111111-1111-4111-8111-111111111111',
      trackName: 'cam-audio',
      gaps: [{ startMs: 11000, endMs: 13000 }],
      presenceMs: 9870,
      speech: null,
      talkMs: null,
    });
    expect(t.tracks.every((x) => x.warnings.length === 0)).toBe(true);
  });

  it('warns on a track whose container-vs-filename delta strays more than 100 ms from the others', () => {
    const t = buildTimeline([
      probed(name('1', 1209), audio(1000, 5000)),
      probed(name('2', 2209), audio(2000, 5000)),
      probed(name('3', 3709), audio(3000, 5000)),
    ]);
    expect(t.tracks[0]!.warnings).toEqual([]);
    expect(t.tracks[1]!.warnings).toEqual([]);
    expect(t.tracks[2]!.warnings).toHaveLength(1);
    expect(t.tracks[2]!.warnings[0]).toMatch(/delta -709 ms strays 500 ms from the tracks' median -209 ms; placed by the container \(3000 ms\)/);
  });

  it('falls back to the filename offset only with a warning, and shifts the gaps with it', () => {
    const t = buildTimeline([probed(name('1', 5209), audio(Number.NaN, 3000, [{ startMs: 1000, endMs: 2000 }]))]);
    expect(t.tracks[0]).toMatchObject({
      offsetMs: 5209,
      offsetSource: 'filename',
      containerOffsetMs: null,
      endMs: 8209,
      durationMs: 3000,
      gaps: [{ startMs: 6209, endMs: 7209 }],
    });
    expect(t.tracks[0]!.warnings[0]).toMatch(/placed by the Daily file name offset/);
  });

  it('treats codec priming before 0 as 0 but warns when a track claims to start well before the recording', () => {
    const t = buildTimeline([probed('a.mp4', audio(-21.333, 5000)), probed('b.webm', audio(-500, 5000))]);
    expect(t.tracks.map((x) => x.offsetMs)).toEqual([0, 0]);
    expect(t.tracks[0]!.warnings).toEqual([]);
    expect(t.tracks[1]!.warnings[0]).toMatch(/before the recording start/);
  });

  it('lists inputs without audio and unreadable inputs under skipped, with reasons', () => {
    const t = buildTimeline([
      probed('cam-video', { container: 'WebM', truncated: null, audio: null, videoCodecs: ['vp8'] }),
      { file: 'junk', daily: null, error: { code: 'MEDIA_UNREADABLE', message: 'junk: not media' } },
      probed('ok.webm', audio(0, 1000)),
    ]);
    expect(t.skipped).toEqual([
      { file: 'cam-video', code: 'MEDIA_NO_AUDIO', reason: 'no audio stream (video only: vp8)' },
      { file: 'junk', code: 'MEDIA_UNREADABLE', reason: 'junk: not media' },
    ]);
    expect(t.tracks.map((x) => x.file)).toEqual(['ok.webm']);
  });

  it('finds overlaps where two mics are open, not across a mute', () => {
    const t = buildTimeline([probed('a', audio(0, 10000, [{ startMs: 2000, endMs: 8000 }])), probed('b', audio(1000, 9000))]);
    expect(t.presenceOverlaps).toEqual([
      { startMs: 1000, endMs: 2000, files: ['a', 'b'] },
      { startMs: 8000, endMs: 9000, files: ['a', 'b'] },
    ]);
    expect(t.presenceOverlapMs).toBe(2000);
  });

  it('warns when inputs come from different recordings', () => {
    const other = name('2', 100).replace(String(R), String(R + 3600_000));
    const t = buildTimeline([probed(name('1', 100), audio(0, 1000)), probed(other, audio(0, 1000))]);
    expect(t.recordingStartMs).toBeNull();
    expect(t.warnings[0]).toMatch(/2 recordings/);
  });
});
