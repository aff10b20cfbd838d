/**
 * The fill plan (pure): which holes are cut out of the resampler's reach, and that the pieces
 * and silences tile the track from meeting time 0 to its end, sample for sample.
 */
import { describe, expect, it } from 'vitest';
import { planFill, type FillSegment } from '../../src/mix/fill-plan.ts';

const total = (plan: FillSegment[]) => plan.reduce((n, s) => n + (s.kind === 'audio' ? s.endSample - s.startSample : s.samples), 0);
const contiguous = (plan: FillSegment[]) => {
  let at = 0;
  for (const s of plan) {
    if (s.kind === 'audio') {
      if (s.startSample !== at) return false;
      at = s.endSample;
    } else at += s.samples;
  }
  return true;
};

describe('fill plan', () => {
  it('leaves short holes and an early start to the one-filter render', () => {
    expect(planFill({ offsetMs: 8134, endMs: 60_000 }, [{ startMs: 11_000, endMs: 13_000 }], 16000)).toEqual([
      { kind: 'audio', startSample: 0, endSample: 960_000, startMs: 0, endMs: 60_000 },
    ]);
  });

  it('makes the wait for a late joiner a silence source, up to a margin before the first packet', () => {
    const plan = planFill({ offsetMs: 40 * 60_000, endMs: 50 * 60_000 }, [], 48000);
    expect(plan).toEqual([
      { kind: 'silence', samples: (40 * 60 - 1) * 48000 },
      { kind: 'audio', startSample: (40 * 60 - 1) * 48000, endSample: 50 * 60 * 48000, startMs: 40 * 60_000 - 1000, endMs: 50 * 60_000 },
    ]);
    expect(total(plan)).toBe(50 * 60 * 48000);
  });

  it('cuts a long mute inside its margins; the pieces tile [0, end) exactly', () => {
    const plan = planFill({ offsetMs: 0, endMs: 3_600_021 }, [{ startMs: 720_021, endMs: 1_080_021 }], 16000);
    expect(plan.map((s) => s.kind)).toEqual(['audio', 'silence', 'audio']);
    expect(plan[0]).toMatchObject({ startMs: 0, endMs: 721_021 });
    expect(plan[2]).toMatchObject({ startMs: 1_079_021, endMs: 3_600_021 });
    expect(contiguous(plan)).toBe(true);
    expect(total(plan)).toBe(Math.round(3_600.021 * 16000));
  });

  it('honours a smaller threshold and margin, and never cuts a hole shorter than both margins', () => {
    const gaps = [
      { startMs: 3000, endMs: 5000 },
      { startMs: 9000, endMs: 9500 },
    ];
    const plan = planFill({ offsetMs: 100, endMs: 12_000 }, gaps, 16000, { longGapMs: 400, marginMs: 300 });
    // [0,100) is too short to cut; 3000–5000 is cut at 3300–4700; 9000–9500 is shorter than 2 × 300 ms.
    expect(plan).toEqual([
      { kind: 'audio', startSample: 0, endSample: 52_800, startMs: 0, endMs: 3300 },
      { kind: 'silence', samples: 22_400 },
      { kind: 'audio', startSample: 75_200, endSample: 192_000, startMs: 4700, endMs: 12_000 },
    ]);
  });
});
