/**
 * Where mics are open at once: a sweep over each track's open intervals (offset to end, less
 * its gaps). Pure.
 */
import type { Gap, Overlap } from './types.ts';

export type OpenIntervals = { file: string; intervals: Gap[] };

/** A track's open intervals: [offset, end] with the gaps cut out. */
export const openIntervals = (offsetMs: number, endMs: number, gaps: readonly Gap[]): Gap[] => {
  const out: Gap[] = [];
  let cursor = offsetMs;
  for (const gap of gaps) {
    if (gap.startMs > cursor) out.push({ startMs: cursor, endMs: Math.min(gap.startMs, endMs) });
    cursor = Math.max(cursor, gap.endMs);
  }
  if (endMs > cursor) out.push({ startMs: cursor, endMs });
  return out;
};

export const findOverlaps = (tracks: readonly OpenIntervals[]): Overlap[] => {
  const events: Array<{ atMs: number; delta: 1 | -1; file: string }> = [];
  for (const t of tracks) {
    for (const i of t.intervals) {
      events.push({ atMs: i.startMs, delta: 1, file: t.file }, { atMs: i.endMs, delta: -1, file: t.file });
    }
  }
  // Ends before starts at the same instant: touching intervals do not overlap.
  events.sort((a, b) => a.atMs - b.atMs || a.delta - b.delta);
  const open = new Map<string, number>();
  const overlaps: Overlap[] = [];
  let current: Overlap | null = null;
  for (const e of events) {
    open.set(e.file, (open.get(e.file) ?? 0) + e.delta);
    if (open.get(e.file) === 0) open.delete(e.file);
    const files = [...open.keys()].sort();
    if (current && (files.length < 2 || files.join('\n') !== current.files.join('\n'))) {
      current.endMs = e.atMs;
      if (current.endMs > current.startMs) overlaps.push(current);
      current = null;
    }
    if (!current && files.length >= 2) current = { startMs: e.atMs, endMs: e.atMs, files };
  }
  return overlaps;
};
