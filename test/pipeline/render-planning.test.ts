import { describe, expect, it } from 'vitest';
import { buildTimeline, planTimeline } from '../../src/timeline/build-timeline.ts';
import { parseDailyTrackName } from '../../src/timeline/daily-track-name.ts';
import { publicTimeline } from '../../src/timeline/track-media.ts';
import { renderCost } from '../../src/pipeline/render-planning.ts';
import type { ProbeResult } from '../../src/probe/probe-media.ts';

const opus = (firstMs: number, endMs: number, gaps: Array<{ startMs: number; endMs: number }>): ProbeResult => ({
  container: 'WebM',
  truncated: null,
  videoCodecs: [],
  audio: { codec: 'opus', sampleRateHz: 48000, channels: 1, firstMs, endMs, packetCount: 1, coveredMs: 0, holesMs: 0, gaps, damage: [] },
});

describe('render order', () => {
  it('ranks a render by the audio it decodes, not by the span a long mute stretches', () => {
    // One track spans 40 minutes but is muted for 30 of them; the other talks 20 minutes without a hole.
    const timeline = buildTimeline([
      { file: 'muted-most.webm', daily: null, probe: opus(0, 40 * 60_000, [{ startMs: 5 * 60_000, endMs: 35 * 60_000 }]) },
      { file: 'talks.webm', daily: null, probe: opus(0, 20 * 60_000, []) },
    ]);
    const cost = (file: string) => renderCost(timeline.tracks.find((t) => t.file === file)!);
    expect(cost('muted-most.webm')).toBe(10 * 60_000);
    expect(cost('talks.webm')).toBe(20 * 60_000);
  });
});

describe('planned tracks', () => {
  // Its container starts at 0 but its Daily name says it joined 5.209 s in: placed by the name, so its packets move 5209 ms.
  const moved = '1700000000000-11111111-1111-4111-8111-111111111111-cam-audio-1700000005209';
  const probes = [
    { file: moved, daily: parseDailyTrackName(moved), probe: opus(0, 10_000, [{ startMs: 2000, endMs: 4000 }]) },
    {
      file: 'upload.wav',
      daily: null,
      probe: { ...opus(0, 3000, []), container: 'WAVE', audio: { ...opus(0, 3000, []).audio!, codec: 'pcm_s16le', sampleRateHz: 16000 } },
    },
  ];

  it('carry their packet gaps on the meeting clock, their container and the rate they decode at', () => {
    const [placed, wav] = planTimeline(probes).tracks;
    expect(placed!.offsetMs).toBe(5209);
    expect(placed!.media).toEqual({ container: 'WebM', packetGaps: [{ startMs: 7209, endMs: 9209 }], decodedRateHz: 48000 });
    expect(wav!.media).toEqual({ container: 'WAVE', packetGaps: [], decodedRateHz: 16000 });
  });

  it('leave their media facts out of the timeline as written, every other field as it was', () => {
    const planned = planTimeline(probes);
    const written = JSON.parse(JSON.stringify(publicTimeline(planned)));
    expect(written.tracks.map((t: object) => 'media' in t)).toEqual([false, false]);
    expect(written).toEqual(JSON.parse(JSON.stringify(buildTimeline(probes))));
    const { media: _media, ...rest } = planned.tracks[0]!;
    expect(written.tracks[0]).toEqual(JSON.parse(JSON.stringify(rest)));
  });
});
