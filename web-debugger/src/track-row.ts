/**
 * One track's row: its label (name, offsets and their sources, warnings) and its lane — the bar at
 * its offset with gaps shaded, the waveform canvas, and the strip for its words. Rows and gaps carry
 * the timeline's exact numbers as data attributes (the end-to-end tests read them).
 */
import { clock } from '../../src/timeline/clock.ts';
import type { TimelineTrack } from '../../src/timeline/types.ts';
import type { TranscriptWord } from '../../src/transcription/transcript.ts';
import { el, swatch } from './dom.ts';

const GAP_LABEL = { muted: 'muted', lost: 'packets lost', 'no-packets': 'no packets' } as const;

export const shortName = (t: TimelineTrack) => (t.trackName ? `${t.displayName ?? t.participantId?.slice(0, 8) ?? '—'} · ${t.trackName}` : t.file);
const hue = (i: number) => (i * 137.5 + 200) % 360;
export type Lane = {
  track: TimelineTrack;
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
  color: string;
};

export const trackRow = (track: TimelineTrack, i: number): Lane => {
  const color = `hsl(${hue(i)} 55% 42%)`;
  const canvas = el('canvas', { class: 'wave' });
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
    el('div', { class: 'name' }, swatch(color), shortName(track)),
    el(
      'div',
      { class: 'offsets' },
      el('span', { title: `offset from the container (${track.offsetSource})` }, `@ ${clock(track.offsetMs)}`),
      track.filenameOffsetMs === null ? '' : el('span', { class: 'muted', title: 'offset from the Daily file name' }, `name ${clock(track.filenameOffsetMs)}`),
      delta ? el('span', { class: track.warnings.some((w) => w.includes('delta')) ? 'warn' : 'muted' }, delta) : '',
    ),
    ...track.warnings.map((w) => el('div', { class: 'warning', title: w }, `⚠ ${w}`)),
  );
  const row = el(
    'div',
    {
      class: 'row',
      'data-track-file': track.file,
      'data-offset-ms': String(track.offsetMs),
      'data-filename-offset-ms': track.filenameOffsetMs === null ? '' : String(track.filenameOffsetMs),
      'data-end-ms': String(track.endMs),
      'data-duration-ms': String(track.durationMs),
    },
    label,
    lane,
  );
  return { track, row, lane, bar, canvas, gaps, speech: [], bleed: [], words: [], wordStrip, color };
};
