/**
 * One track's row: its label (name, offsets and their sources, warnings) and its lane — the bar at
 * its offset with gaps shaded, the waveform canvas, and the strip for its words. Rows and gaps carry
 * the timeline's exact numbers as data attributes (the end-to-end tests read them).
 */
import { clock } from '../../src/timeline/clock.ts';
import type { TimelineTrack } from '../../src/timeline/types.ts';
import type { TranscriptWord } from '../../src/transcription/transcript.ts';
import { el, swatch } from './dom.ts';
import type { ArrangedTrack } from './speakers.ts';

const GAP_LABEL = { muted: 'muted', lost: 'packets lost', 'no-packets': 'no packets' } as const;

export const shortName = (t: TimelineTrack, speaker: string) => (t.trackName ? `${speaker} · ${t.trackName}` : `${speaker} · ${t.file}`);
const hue = (i: number) => (i * 137.5 + 200) % 360;
export type Lane = {
  track: TimelineTrack;
  speaker: string;
  row: HTMLElement;
  lane: HTMLElement;
  bar: HTMLElement;
  canvas: HTMLCanvasElement;
  gaps: HTMLElement[];
  speech: Array<{ region: { startMs: number; endMs: number }; node: HTMLElement }>;
  /** Bleed-only stretches (another participant's voice on this mic), never drawn as speech. */
  bleed: Array<{ region: { startMs: number; endMs: number }; node: HTMLElement }>;
  words: Array<{ word: TranscriptWord; node: HTMLElement }>;
  wordStrip: HTMLElement;
  /** Where the row's buttons go (listen.ts: solo). */
  actions: HTMLElement;
  color: string;
};

/** A row's warnings, whole: folded under a count, unfolded per row (nothing cut with "…"). */
const warningList = (warnings: readonly string[]) => {
  if (warnings.length === 0) return '';
  const list = el('ul', {}, ...warnings.map((w) => el('li', {}, w)));
  return el('details', { class: 'warnings' }, el('summary', {}, `⚠ ${warnings.length} warning${warnings.length === 1 ? '' : 's'}`), list);
};

export const trackRow = ({ track, speaker, colorIndex }: ArrangedTrack): Lane => {
  const color = `hsl(${hue(colorIndex)} 55% 42%)`;
  // The waveform is a picture of what the summary and the marks say in words.
  const canvas = el('canvas', { class: 'wave', 'aria-hidden': 'true' });
  const bar = el('div', { class: 'bar' }, canvas);
  bar.style.setProperty('--track-color', color);
  const gaps = track.gaps.map((g) =>
    el('div', {
      class: `gap ${g.kind ?? 'no-packets'}`,
      'data-gap-start-ms': String(g.startMs),
      'data-gap-end-ms': String(g.endMs),
      'data-gap-kind': g.kind ?? 'no-packets',
      title: `${GAP_LABEL[g.kind ?? 'no-packets']} ${clock(g.startMs)} → ${clock(g.endMs)} (${((g.endMs - g.startMs) / 1000).toFixed(2)} s)`,
    }),
  );
  bar.append(...gaps);
  const wordStrip = el('div', { class: 'words' });
  const lane = el('div', { class: 'lane' }, bar, wordStrip);
  const delta = track.offsetDeltaMs === null ? '' : `Δ ${track.offsetDeltaMs > 0 ? '+' : ''}${Math.round(track.offsetDeltaMs)} ms`;
  const label = el(
    'div',
    { class: 'label', title: track.file },
    el(
      'div',
      { class: 'name', title: shortName(track, speaker) },
      swatch(color),
      el('span', { class: 'speaker' }, speaker),
      track.trackName ? el('span', { class: 'muted' }, track.trackName) : '',
    ),
    el(
      'div',
      { class: 'offsets' },
      el('span', { title: `offset from the container (${track.offsetSource})` }, `@ ${clock(track.offsetMs)}`),
      track.filenameOffsetMs === null ? '' : el('span', { class: 'muted', title: 'offset from the Daily file name' }, `name ${clock(track.filenameOffsetMs)}`),
      delta ? el('span', { class: track.warnings.some((w) => w.includes('delta')) ? 'warn' : 'muted' }, delta) : '',
    ),
    warningList(track.warnings),
  );
  const actions = el('div', { class: 'actions' });
  label.append(actions);
  const row = el(
    'div',
    {
      class: 'row',
      role: 'group',
      'aria-label': shortName(track, speaker),
      'data-track-file': track.file,
      'data-speaker': speaker,
      'data-participant-id': track.participantId ?? '',
      'data-offset-ms': String(track.offsetMs),
      'data-filename-offset-ms': track.filenameOffsetMs === null ? '' : String(track.filenameOffsetMs),
      'data-end-ms': String(track.endMs),
      'data-duration-ms': String(track.durationMs),
    },
    label,
    lane,
  );
  return { track, speaker, row, lane, bar, canvas, gaps, speech: [], bleed: [], words: [], wordStrip, actions, color };
};
