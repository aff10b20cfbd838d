import { describe, expect, it } from 'vitest';
import { buildPacketTimeline } from '../../src/probe/packet-timeline.ts';
import { opusPacketDurationMs } from '../../src/probe/opus-toc.ts';

const packets = (starts: number[], durationMs = 20) => starts.map((timestampMs) => ({ timestampMs, durationMs }));

describe('packet timeline', () => {
  it('finds a mute longer than the threshold and measures the end by the last packet', () => {
    const t = buildPacketTimeline(packets([1000, 1020, 1040, 3040, 3060]))!;
    expect(t).toMatchObject({ firstMs: 1000, endMs: 3080, packetCount: 5, coveredMs: 100, gaps: [{ startMs: 1060, endMs: 3040 }], holesMs: 1980 });
  });

  it('counts a single lost packet as a hole, not as a gap', () => {
    const t = buildPacketTimeline(packets([0, 20, 60, 80]))!;
    expect(t.gaps).toEqual([]);
    expect(t.holesMs).toBe(20);
  });

  it('reports DTX-like sparse packets as gaps between them', () => {
    const t = buildPacketTimeline(packets([0, 400, 800]))!;
    expect(t.gaps).toEqual([
      { startMs: 20, endMs: 400 },
      { startMs: 420, endMs: 800 },
    ]);
  });

  it('ignores sub-millisecond clock rounding and honours the threshold option', () => {
    expect(buildPacketTimeline(packets([0, 2.5, 5, 7.5], 2.5).map((p) => ({ ...p, timestampMs: Math.round(p.timestampMs) })))!.holesMs).toBe(0);
    expect(buildPacketTimeline(packets([0, 70]), { gapThresholdMs: 40 })!.gaps).toEqual([{ startMs: 20, endMs: 70 }]);
  });

  it('returns null for no packets', () => {
    expect(buildPacketTimeline([])).toBeNull();
  });
});

describe('Opus TOC durations (RFC 6716 §3.1)', () => {
  it.each([
    [0b01111_0_00, 20, 'CELT 20 ms, one frame'],
    [0b00001_0_00, 20, 'SILK NB 20 ms'],
    [0b00011_0_00, 60, 'SILK NB 60 ms'],
    [0b01101_0_01, 40, 'Hybrid 20 ms, two frames'],
    [0b10000_0_00, 2.5, 'CELT 2.5 ms'],
  ])('TOC %i → %f ms (%s)', (toc, ms) => {
    expect(opusPacketDurationMs(Uint8Array.of(toc, 0))).toBe(ms);
  });

  it('reads the frame count of code-3 packets and rejects impossible ones', () => {
    expect(opusPacketDurationMs(Uint8Array.of(0b01111_0_11, 3))).toBe(60);
    expect(opusPacketDurationMs(Uint8Array.of(0b01111_0_11, 7))).toBeNull(); // 140 ms > 120 ms
    expect(opusPacketDurationMs(new Uint8Array(0))).toBeNull();
  });
});
