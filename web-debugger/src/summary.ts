/**
 * The summary above the timeline and the notices below it. Mutes (the event JSON says paused),
 * lost-packet holes (no pause: loss or long DTX) and gaps nothing explains are counted apart;
 * skipped inputs are listed only under "Skipped inputs", with their error code, and the
 * timeline's own warnings apart from them (a used track's warnings are on its row).
 */
import { clock } from '../../src/timeline/clock.ts';
import type { Timeline, TimelineWarning } from '../../src/timeline/types.ts';
import { warningText } from '../../src/timeline/warnings.ts';
import { el } from './dom.ts';

const countGaps = (timeline: Timeline, kind: string) => timeline.tracks.reduce((n, t) => n + t.gaps.filter((g) => (g.kind ?? 'no-packets') === kind).length, 0);

/** The facts, in order; a new kind of mark adds one entry here. */
const facts = (timeline: Timeline): Array<[label: string, key: string, value: string]> => {
  const participants = new Set(timeline.tracks.map((t) => t.participantId ?? t.file)).size;
  const unexplained = countGaps(timeline, 'no-packets');
  return [
    ['meeting', 'duration', clock(timeline.durationMs)],
    ['tracks', 'tracks', `${timeline.tracks.length} (${participants} participant${participants === 1 ? '' : 's'})`],
    ['mutes', 'mutes', String(countGaps(timeline, 'muted'))],
    ['lost-packet holes', 'lost', String(countGaps(timeline, 'lost'))],
    ...(unexplained ? [['gaps (mute or loss: no event JSON)', 'no-packets', String(unexplained)] as [string, string, string]] : []),
    ['mics open together', 'overlap', clock(timeline.presenceOverlapMs)],
    ['bleed', 'bleed', timeline.tracks.some((t) => t.bleedMs != null) ? clock(timeline.tracks.reduce((n, t) => n + (t.bleedMs ?? 0), 0)) : 'after rendering'],
    ['crosstalk', 'crosstalk', timeline.crosstalkMs === null ? 'after rendering' : clock(timeline.crosstalkMs)],
    ['warnings', 'warnings', String(timeline.warnings.length + timeline.tracks.reduce((n, t) => n + t.warnings.length, 0))],
  ];
};

export const showSummary = (summary: HTMLElement, notices: HTMLElement, timeline: Timeline) => {
  summary.replaceChildren(...facts(timeline).map(([label, key, value]) => el('div', { 'data-count': key }, el('span', {}, label), el('strong', {}, value))));
  // Bleed paths (one participant's voice on another's mic), their details on hover.
  if (timeline.bleedPairs) {
    const paths = timeline.bleedPairs.map((p) => `${p.fromParticipantId ?? p.fromFile} → ${p.toParticipantId ?? p.toFile}: ${p.lagMs} ms, ${clock(p.bleedMs)}`);
    summary.append(
      el(
        'div',
        { class: 'bleed-pairs', 'data-bleed-pairs': String(timeline.bleedPairs.length), title: paths.join('\n') },
        el('span', {}, 'bleed paths'),
        el('strong', {}, String(timeline.bleedPairs.length)),
      ),
    );
  }
  summary.hidden = false;
  // A used track's warning repeated at the timeline level ("<file>: …") stays on its row.
  const used = timeline.tracks.map((t) => `${t.file}: `);
  const warnings = timeline.warnings.filter((w) => !used.some((prefix) => warningText(w).startsWith(prefix)));
  notices.replaceChildren();
  notices.hidden = timeline.skipped.length === 0 && warnings.length === 0;
  if (timeline.skipped.length) {
    notices.append(
      el('h2', {}, 'Skipped inputs'),
      el(
        'ul',
        { class: 'skipped-list' },
        // The code is drawn from `data-code` (styles.css), so the item's text stays `file — reason`.
        ...timeline.skipped.map((s) =>
          el('li', { class: 'error', 'data-skipped-file': s.file, 'data-code': s.code, title: s.code }, `${s.file} — ${s.reason}`),
        ),
      ),
    );
  }
  if (warnings.length) notices.append(el('h2', {}, 'Warnings'), ...warnings.map(warningParagraph));
};

/** A warning as a paragraph; a coded one (`BLEED_LAG`) shows its code and carries it as `data-code`. */
const warningParagraph = (w: TimelineWarning) =>
  typeof w === 'string'
    ? el('p', { class: 'warning' }, `⚠ ${w}`)
    : el('p', { class: 'warning', 'data-code': w.code }, '⚠ ', el('code', {}, w.code), `: ${w.message}`);

/** A failure on the status line, styled as an error with its code (`CODE: message`, src/errors.ts describeError). */
export const showError = (status: HTMLElement, prefix: string, described: string) => {
  const match = /^([A-Z][A-Z0-9_]+): (.*)$/s.exec(described);
  status.replaceChildren(el('span', { class: 'error', role: 'alert' }, match ? el('code', {}, match[1]!) : '', `${prefix}${match ? match[2]! : described}`));
};
