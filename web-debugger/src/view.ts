/**
 * The timeline view: a meeting-time ruler, one row per track (bar at its offset, gaps shaded,
 * waveform), a playhead, hover readouts, zoom and pan. Rows and gaps carry data attributes with
 * the exact timeline numbers (the end-to-end tests read them).
 */
import { clock } from '../../src/timeline/clock.ts';
import type { Timeline } from '../../src/timeline/types.ts';
import type { Transcript } from '../../src/transcription/transcript.ts';
import { drawWaveform, type Peaks } from './waveform.ts';
import { el } from './dom.ts';
import { shortName, trackRow, type Lane } from './track-row.ts';
import { arrangeBySpeaker } from './speakers.ts';
import { legend } from './legend.ts';
import { findBox } from './find-word.ts';

const NICE_STEPS_MS = [100, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000];

export type TimelineView = {
  setPeaks(file: string, peaks: Peaks): void;
  /** Speech regions per row and crosstalk on the ruler, once the tracks are decoded. */
  setSpeech(timeline: Timeline): void;
  /** A transcript's words under the rows they were spoken on (hover: the word and its times). */
  setWords(transcript: Transcript): void;
  /** The playhead at `ms` (null: none); `follow` (the player's clock): the view turns to the page the playhead moves onto when it leaves the view. */
  setPlayhead(ms: number | null, follow?: boolean): void;
  onSeek: ((ms: number) => void) | null;
  /** Zooms by `factor` (< 1: in) around the playhead when it is in view, else the view's middle. */
  zoom(factor: number): void;
  /** Each row's track, speaker and the slot for its actions (the solo button). */
  readonly rows: ReadonlyArray<{ track: Timeline['tracks'][number]; speaker: string; actions: HTMLElement }>;
  redraw(): void;
  /** Releases the window listener and the resize observer (the next analysis mounts a new view). */
  destroy(): void;
};

export const mountTimeline = (container: HTMLElement, timeline: Timeline): TimelineView => {
  container.replaceChildren();
  // Every listener goes with the view: the next analysis replaces it.
  const listening = new AbortController();
  const { signal } = listening;
  const durationMs = Math.max(1, timeline.durationMs);
  let fromMs = 0;
  let toMs = durationMs;
  const peaks = new Map<string, Peaks>();

  const ruler = el('div', { class: 'ruler' });
  const lanes: Lane[] = arrangeBySpeaker(timeline).map(trackRow);
  let crosstalk = timeline.crosstalk ?? [];
  const rows = el('div', { class: 'rows' }, ...lanes.map((l) => l.row));

  const playhead = el('div', { class: 'playhead', hidden: '' });
  const hover = el('div', { class: 'hover', hidden: '' });
  const hoverLine = el('div', { class: 'hover-line', hidden: '' });
  const tracksBox = el(
    'div',
    // The keys (listen.ts) are named where the player shows them.
    { class: 'tracks', role: 'region', 'aria-label': 'Tracks on the meeting timeline', 'aria-describedby': 'listen-keys' },
    el('div', { class: 'ruler-row' }, el('div', { class: 'label ruler-label' }, 'meeting time'), ruler),
    rows,
    playhead,
    hoverLine,
    hover,
  );
  container.append(tracksBox);

  const laneBox = () => lanes[0]?.lane.getBoundingClientRect() ?? ruler.getBoundingClientRect();
  const xOf = (ms: number) => ((ms - fromMs) / (toMs - fromMs)) * 100;
  const msAt = (clientX: number) => {
    const box = laneBox();
    return fromMs + ((clientX - box.left) / box.width) * (toMs - fromMs);
  };

  const drawRuler = () => {
    const span = toMs - fromMs;
    const step = NICE_STEPS_MS.find((s) => span / s <= 12) ?? 3_600_000;
    const ticks: HTMLElement[] = [];
    for (let t = Math.ceil(fromMs / step) * step; t <= toMs; t += step) {
      const tick = el('div', { class: 'tick' }, el('span', {}, clock(t, step < 1000)));
      tick.style.left = `${xOf(t)}%`;
      ticks.push(tick);
    }
    // Chat messages from Daily's event JSON, as marks on the ruler (hover reads the message).
    const chat = (timeline.chat ?? [])
      .filter((c) => c.atMs >= fromMs && c.atMs <= toMs)
      .map((c) => {
        const mark = el('div', { class: 'chat', 'data-chat-at-ms': String(c.atMs), title: `${clock(c.atMs)} ${c.name}: ${c.text}` });
        mark.style.left = `${xOf(c.atMs)}%`;
        return mark;
      });
    // Two or more participants speaking at once.
    const talkOver = crosstalk
      .filter((c) => c.endMs >= fromMs && c.startMs <= toMs)
      .map((c) => {
        const mark = el('div', {
          class: 'crosstalk',
          'data-crosstalk-start-ms': String(c.startMs),
          'data-crosstalk-end-ms': String(c.endMs),
          title: `crosstalk ${clock(c.startMs)} → ${clock(c.endMs)}: ${c.participantIds.length} speakers`,
        });
        mark.style.left = `${xOf(c.startMs)}%`;
        mark.style.width = `${xOf(c.endMs) - xOf(c.startMs)}%`;
        return mark;
      });
    ruler.replaceChildren(...ticks, ...talkOver, ...chat);
  };

  const redraw = () => {
    // The span in view, for the tests and anyone reading the page.
    tracksBox.dataset.viewFromMs = String(Math.round(fromMs));
    tracksBox.dataset.viewToMs = String(Math.round(toMs));
    drawRuler();
    for (const { track, bar, canvas, gaps, speech, bleed, words, color } of lanes) {
      for (const { word, node } of words) {
        node.style.left = `${xOf(word.startMs)}%`;
        node.style.width = `${Math.max(0.2, xOf(word.endMs) - xOf(word.startMs))}%`;
      }
      bar.style.left = `${xOf(track.offsetMs)}%`;
      bar.style.width = `${xOf(track.endMs) - xOf(track.offsetMs)}%`;
      for (const { region, node } of [...speech, ...bleed]) {
        const span = track.durationMs || 1;
        node.style.left = `${((region.startMs - track.offsetMs) / span) * 100}%`;
        node.style.width = `${((region.endMs - region.startMs) / span) * 100}%`;
      }
      track.gaps.forEach((g, i) => {
        const span = track.durationMs || 1;
        gaps[i]!.style.left = `${((g.startMs - track.offsetMs) / span) * 100}%`;
        gaps[i]!.style.width = `${((g.endMs - g.startMs) / span) * 100}%`;
      });
      const p = peaks.get(track.file);
      if (p) drawWaveform(canvas, p, { startMs: track.offsetMs, endMs: track.endMs }, { fromMs, toMs }, color);
    }
    view.setPlayhead(currentPlayhead);
  };

  const zoom = (factor: number, centerMs = (fromMs + toMs) / 2) => {
    const span = Math.min(durationMs, Math.max(200, (toMs - fromMs) * factor));
    fromMs = Math.max(0, Math.min(durationMs - span, centerMs - (centerMs - fromMs) * (span / (toMs - fromMs))));
    toMs = fromMs + span;
    redraw();
  };
  const pan = (deltaMs: number) => {
    const span = toMs - fromMs;
    fromMs = Math.max(0, Math.min(durationMs - span, fromMs + deltaMs));
    toMs = fromMs + span;
    redraw();
  };

  tracksBox.addEventListener(
    'wheel',
    (e) => {
      if (e.ctrlKey || e.metaKey) {
        e.preventDefault();
        zoom(e.deltaY > 0 ? 1.25 : 0.8, msAt(e.clientX));
      } else if (Math.abs(e.deltaX) > Math.abs(e.deltaY) || e.shiftKey) {
        e.preventDefault();
        pan(((e.shiftKey ? e.deltaY : e.deltaX) / laneBox().width) * (toMs - fromMs));
      }
    },
    { passive: false, signal },
  );
  let drag: { x: number; from: number } | null = null;
  tracksBox.addEventListener(
    'pointerdown',
    (e) => {
      if ((e.target as HTMLElement).closest('.label')) return;
      drag = { x: e.clientX, from: fromMs };
    },
    { signal },
  );
  window.addEventListener(
    'pointerup',
    (e) => {
      if (drag && Math.abs(e.clientX - drag.x) < 3 && view.onSeek) view.onSeek(Math.max(0, msAt(e.clientX)));
      drag = null;
    },
    { signal },
  );
  tracksBox.addEventListener('pointermove', (e) => {
    if (drag) {
      const box = laneBox();
      const span = toMs - fromMs;
      fromMs = Math.max(0, Math.min(durationMs - span, drag.from - ((e.clientX - drag.x) / box.width) * span));
      toMs = fromMs + span;
      redraw();
    }
    const box = laneBox();
    const ms = msAt(e.clientX);
    if (e.clientX < box.left || ms < 0 || ms > durationMs) {
      hover.hidden = hoverLine.hidden = true;
      return;
    }
    const row = (e.target as HTMLElement).closest<HTMLElement>('.row');
    const found = lanes.find((l) => l.track.file === row?.dataset.trackFile);
    const track = found?.track;
    const state = !track
      ? ''
      : ms < track.offsetMs
        ? ' · not joined yet'
        : ms > track.endMs
          ? ' · left'
          : track.gaps.some((g) => ms >= g.startMs && ms < g.endMs)
            ? ' · muted'
            : ' · mic open';
    hover.textContent = `${clock(ms)}${found && track ? ` · ${shortName(track, found.speaker)}${state}` : ''}`;
    const left = e.clientX - tracksBox.getBoundingClientRect().left;
    hover.style.left = `${left + 10}px`;
    hoverLine.style.left = `${left}px`;
    hover.hidden = hoverLine.hidden = false;
  });
  tracksBox.addEventListener('pointerleave', () => (hover.hidden = hoverLine.hidden = true));

  let currentPlayhead: number | null = null;
  let pendingDraw = 0;
  const view: TimelineView = {
    onSeek: null,
    destroy: () => listening.abort(),
    setPeaks(file, p) {
      peaks.set(file, p);
      // Many tracks' peaks arrive together: one redraw for them all.
      if (pendingDraw) return;
      pendingDraw = requestAnimationFrame(() => {
        pendingDraw = 0;
        redraw();
      });
    },
    setSpeech(analysed) {
      crosstalk = analysed.crosstalk ?? [];
      for (const lane of lanes) {
        for (const { node } of lane.speech) node.remove();
        const regions = analysed.tracks.find((t) => t.file === lane.track.file)?.speech ?? [];
        lane.speech = regions.map((region) => ({
          region,
          node: el('div', {
            class: 'speech',
            'data-speech-start-ms': String(region.startMs),
            'data-speech-end-ms': String(region.endMs),
            title: `speech ${clock(region.startMs)} → ${clock(region.endMs)}`,
          }),
        }));
        lane.bar.append(...lane.speech.map((s) => s.node));
        const track = analysed.tracks.find((t) => t.file === lane.track.file);
        if (track?.talkMs != null) lane.row.dataset.talkMs = String(track.talkMs);
        for (const { node } of lane.bleed) node.remove();
        lane.bleed = (track?.bleed ?? []).map((b) => {
          const source = lanes.find((l) => l.track.file === b.fromFile);
          const from = b.fromParticipantId?.slice(0, 8) ?? b.fromFile;
          const whose = source ? `${shortName(source.track, source.speaker)} (${from})` : b.fromFile;
          return {
            region: b,
            node: el('div', {
              class: 'bleed',
              'data-bleed-start-ms': String(b.startMs),
              'data-bleed-end-ms': String(b.endMs),
              'data-bleed-from': b.fromParticipantId ?? b.fromFile,
              title: `bleed ${clock(b.startMs)} → ${clock(b.endMs)}: ${whose}'s voice, ${b.lagMs} ms late, ${b.levelDb} dB`,
            }),
          };
        });
        lane.bar.append(...lane.bleed.map((s) => s.node));
      }
      redraw();
    },
    setWords(transcript) {
      for (const lane of lanes) {
        lane.words = transcript.words
          .filter((w) => w.file === lane.track.file)
          .map((word) => ({
            word,
            node: el(
              'span',
              {
                class: 'word',
                'data-word-start-ms': String(word.startMs),
                'data-word-end-ms': String(word.endMs),
                title: `${word.speaker}: “${word.text}” ${clock(word.startMs, true)} → ${clock(word.endMs, true)}`,
              },
              word.text,
            ),
          }));
        lane.wordStrip.replaceChildren(...lane.words.map((w) => w.node));
      }
      redraw();
    },
    zoom: (factor) => zoom(factor, currentPlayhead !== null && currentPlayhead >= fromMs && currentPlayhead <= toMs ? currentPlayhead : undefined),
    rows: lanes.map(({ track, speaker, actions }) => ({ track, speaker, actions })),
    setPlayhead(ms, follow = false) {
      const wasInView = currentPlayhead !== null && currentPlayhead >= fromMs && currentPlayhead <= toMs;
      currentPlayhead = ms;
      // Playing out of the view (past its right edge, or sought before its left): the page it is on,
      // the playhead near its left. Only when it leaves the view: a view panned away stays where it is.
      if (follow && wasInView && ms !== null && (ms > toMs || ms < fromMs) && toMs - fromMs < durationMs) {
        const span = toMs - fromMs;
        fromMs = Math.max(0, Math.min(durationMs - span, ms - span * 0.05));
        toMs = fromMs + span;
        redraw();
        return;
      }
      if (ms === null || ms < fromMs || ms > toMs) {
        playhead.hidden = true;
        return;
      }
      const box = laneBox();
      playhead.style.left = `${box.left - tracksBox.getBoundingClientRect().left + (xOf(ms) / 100) * box.width}px`;
      playhead.hidden = false;
    },
    redraw,
  };
  container.querySelector('.zoom-in')?.remove();
  const controls = el('div', { class: 'zoom', role: 'toolbar', 'aria-label': 'Timeline view' });
  for (const [label, action] of [
    ['−', () => zoom(1.5)],
    ['+', () => zoom(1 / 1.5)],
    [
      'fit',
      () => {
        fromMs = 0;
        toMs = durationMs;
        redraw();
      },
    ],
  ] as const) {
    const title = label === 'fit' ? 'show the whole meeting' : label === '+' ? 'zoom in (+ or ctrl+wheel)' : 'zoom out (−)';
    const button = el('button', { type: 'button', title, 'aria-label': title }, label);
    button.addEventListener('click', action);
    controls.append(button);
  }
  // Onto a found word: about 20 s around it, unless the view is already closer.
  const reveal = (startMs: number, endMs: number) => {
    const span = Math.min(toMs - fromMs, 20_000);
    const centerMs = (startMs + endMs) / 2;
    fromMs = Math.max(0, Math.min(durationMs - span, centerMs - span / 2));
    toMs = fromMs + span;
    redraw();
  };
  controls.prepend(findBox(() => lanes.flatMap((l) => l.words), reveal));
  container.prepend(controls, legend());
  if (timeline.crosstalk) view.setSpeech(timeline);
  const resizes = new ResizeObserver(() => redraw());
  resizes.observe(tracksBox);
  signal.addEventListener('abort', () => {
    resizes.disconnect();
    cancelAnimationFrame(pendingDraw);
  });
  redraw();
  return view;
};
