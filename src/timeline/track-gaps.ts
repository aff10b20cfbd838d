/**
 * A track's gaps in meeting time, each saying what it is. With the event JSON, its pauses are
 * `muted` (whether or not packets stopped: a gapless WAV/AAC file holds silence there) and a
 * packet hole that overlaps no pause is `lost` (loss, DTX); without it, a packet hole is
 * `no-packets`. Pure.
 */
import type { Interval } from './daily-events.ts';
import type { Gap, TimelineGap } from './types.ts';

const overlaps = (a: Interval, b: Interval) => a.startMs < b.endMs && b.startMs < a.endMs;

export const trackGaps = (packetGaps: readonly Gap[], mutes: readonly Interval[] | null, offsetMs: number, endMs: number): TimelineGap[] => {
  if (!mutes) return packetGaps.map((g) => ({ ...g, kind: 'no-packets' as const }));
  const muted = mutes
    .map((m) => ({ startMs: Math.max(m.startMs, offsetMs), endMs: Math.min(m.endMs, endMs) }))
    .filter((m) => m.endMs > m.startMs)
    .map((m) => ({ ...m, kind: 'muted' as const }));
  const lost = packetGaps.filter((g) => !muted.some((m) => overlaps(m, g))).map((g) => ({ ...g, kind: 'lost' as const }));
  return [...muted, ...lost].sort((a, b) => a.startMs - b.startMs);
};

/** Total length of gaps, overlaps counted once. */
export const gapsTotalMs = (gaps: readonly Gap[]): number => {
  let total = 0;
  let cursor = Number.NEGATIVE_INFINITY;
  for (const g of [...gaps].sort((a, b) => a.startMs - b.startMs)) {
    const start = Math.max(g.startMs, cursor);
    if (g.endMs > start) total += g.endMs - start;
    cursor = Math.max(cursor, g.endMs);
  }
  return total;
};
