/**
 * A timeline as a readable text table (the `inspect` command). Pure.
 */
import { clock } from './clock.ts';
import type { Timeline } from './types.ts';
import { warningText } from './warnings.ts';

/**
 * The timeline's own warnings as lines (a coded one as `CODE: message`), less those that repeat a
 * track's warning for the whole meeting (`<file>: damaged data …; the mixdown is silent there`): a
 * reader sees each fact once.
 */
export const meetingWarnings = (timeline: Timeline): string[] => {
  const said = timeline.tracks.flatMap((t) => t.warnings.map((w) => `${t.file}: ${w}`));
  return timeline.warnings.map(warningText).filter((w) => !said.some((s) => w.startsWith(s)));
};

const shorten = (name: string, max: number) => (name.length <= max ? name : `…${name.slice(-(max - 1))}`);

export const formatTimelineTable = (timeline: Timeline): string => {
  const rows = timeline.tracks.map((t) => [
    shorten(t.file, 44),
    t.participantId ? t.participantId.slice(0, 8) : '-',
    clock(t.offsetMs),
    t.filenameOffsetMs === null ? '-' : clock(t.filenameOffsetMs),
    t.offsetDeltaMs === null ? '-' : `${t.offsetDeltaMs > 0 ? '+' : ''}${t.offsetDeltaMs}`,
    clock(t.endMs),
    String(t.gaps.length),
    clock(t.presenceMs),
    t.talkMs === null ? '-' : clock(t.talkMs),
    t.warnings.length ? `${t.warnings.length}!` : '',
  ]);
  const header = ['file', 'particip.', 'offset', 'name offset', 'Δ ms', 'end', 'gaps', 'mic open', 'speech', 'warn'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [
    `meeting ${clock(timeline.durationMs)} · ${timeline.tracks.length} track(s) · mics open together ${clock(timeline.presenceOverlapMs)}${timeline.crosstalkMs === null ? '' : ` · crosstalk ${clock(timeline.crosstalkMs)}`}`,
    '',
    line(header),
    ...rows.map(line),
  ];
  for (const t of timeline.tracks) {
    for (const g of t.gaps.slice(0, 5))
      out.push(`  gap   ${shorten(t.file, 44)}: ${clock(g.startMs)} → ${clock(g.endMs)}${g.kind && g.kind !== 'no-packets' ? ` (${g.kind})` : ''}`);
    if (t.gaps.length > 5) out.push(`  gap   ${shorten(t.file, 44)}: … ${t.gaps.length - 5} more (--json lists all)`);
    for (const w of t.warnings) out.push(`  warn  ${shorten(t.file, 44)}: ${w}`);
  }
  for (const t of timeline.tracks) if (t.displayName) out.push(`  name  ${shorten(t.file, 44)}: ${t.displayName} (${t.offsetSource})`);
  for (const c of timeline.chat ?? []) out.push(`  chat  ${clock(c.atMs)} ${c.name}: ${c.text}`);
  for (const w of meetingWarnings(timeline)) out.push(`  warn  ${w}`);
  for (const s of timeline.skipped) out.push(`  skip  ${shorten(s.file, 44)}: ${s.reason}`);
  return out.join('\n');
};
