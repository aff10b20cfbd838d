import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../src/timeline/build-timeline.ts';
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
