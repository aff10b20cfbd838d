/**
 * Listening to a timeline: the page's one player plays the mixdown or one track alone (solo: its
 * render, which runs from meeting time 0 to the track's end, so the player's clock is meeting time
 * either way). A click on a lane plays from there; the playhead follows the player and the view
 * turns its pages with it; the keys are keyboard.ts's. A stored recording streams from the API
 * (its audio routes answer byte ranges, so playback starts on the first bytes); dropped files play
 * the renders made in this page.
 */
import type { TimelineTrack } from '../../src/timeline/types.ts';
import { el } from './dom.ts';
import { bindKeys, KEYS_HELP } from './keyboard.ts';
import type { TimelineView } from './view.ts';

/** Where each source plays from: a URL, or null while there is none (dropped files before their render; a track not rendered). */
export type Sources = { mixdown: string | null; track: (track: TimelineTrack) => string | null };

export type Listening = {
  /** The sources once they exist: the player loads the mixdown, and tracks with a render get their solo button. */
  setSources(sources: Sources): void;
  destroy(): void;
};

const NO_SOURCES: Sources = { mixdown: null, track: () => null };

/** Wires `audio` to `view`; the controls go at the start of `player`. */
export const listen = (audio: HTMLAudioElement, player: HTMLElement, view: TimelineView, initial: Sources = NO_SOURCES): Listening => {
  const listening = new AbortController();
  const { signal } = listening;
  let sources = initial;
  let solo: TimelineTrack | null = null;
  const mixdown = el('button', { type: 'button', class: 'listen-mixdown', 'aria-pressed': 'true', title: 'play every track together' }, 'Mixdown');
  const playing = el('span', { class: 'now-playing muted', 'aria-live': 'polite' });
  const controls = el('div', { class: 'listen', role: 'group', 'aria-label': 'Listen to' }, el('span', { class: 'muted' }, 'Listen to'), mixdown, playing);
  const keys = el('p', { id: 'listen-keys', class: 'keys muted' }, KEYS_HELP);
  audio.setAttribute('aria-label', 'Player: the mixdown, or the track played solo');
  player.prepend(controls);
  player.after(keys);
  const soloButtons = new Map<TimelineTrack, HTMLButtonElement>();

  const nameOf = (track: TimelineTrack) => {
    const row = view.rows.find((r) => r.track === track);
    return `${row?.speaker ?? track.file}${track.trackName ? ` · ${track.trackName}` : ''}`;
  };
  // A refused play() (no user gesture yet, a source that cannot play) leaves the player paused, said in the console.
  const play = () => void audio.play().catch((error: unknown) => console.warn(`the player did not start: ${(error as Error).message}`));
  /** Plays `track` alone (null: the mixdown) from where the player is, playing on if it was. */
  const choose = (track: TimelineTrack | null, playOn = !audio.paused) => {
    const url = track ? sources.track(track) : sources.mixdown;
    if (!url) return;
    solo = track;
    if (audio.src !== url) {
      const atSec = audio.currentTime;
      audio.src = url;
      // Before the new source's metadata this is its start position (HTML: "default playback start position").
      audio.currentTime = atSec;
    }
    audio.dataset.source = track ? track.file : 'mixdown';
    mixdown.setAttribute('aria-pressed', String(!track));
    for (const [t, button] of soloButtons) button.setAttribute('aria-pressed', String(t === track));
    playing.textContent = track ? `solo: ${nameOf(track)}` : 'all tracks';
    if (playOn) play();
  };
  const playFrom = (ms: number) => {
    if (!audio.src) return;
    audio.currentTime = ms / 1000;
    play();
  };
  mixdown.addEventListener('click', () => choose(null), { signal });

  const setSources = (next: Sources) => {
    sources = next;
    for (const button of soloButtons.values()) button.remove();
    soloButtons.clear();
    for (const { track, actions } of view.rows) {
      if (!sources.track(track)) continue;
      const button = el(
        'button',
        { type: 'button', class: 'solo', 'aria-pressed': 'false', 'aria-label': `Solo ${nameOf(track)}`, title: 'play this track alone' },
        'Solo',
      );
      button.addEventListener('click', () => choose(solo === track ? null : track), { signal });
      actions.append(button);
      soloButtons.set(track, button);
    }
    mixdown.disabled = !sources.mixdown;
    choose(solo && sources.track(solo) ? solo : null, false);
  };

  view.onSeek = playFrom;
  bindKeys(
    document,
    {
      togglePlay: () => {
        if (!audio.src) return;
        if (audio.paused) play();
        else audio.pause();
      },
      seekBy: (ms) => {
        if (!audio.src) return;
        const endSec = Number.isFinite(audio.duration) ? audio.duration : Number.POSITIVE_INFINITY;
        audio.currentTime = Math.min(endSec, Math.max(0, audio.currentTime + ms / 1000));
      },
      zoom: (factor) => view.zoom(factor),
    },
    signal,
  );
  let frame = 0;
  const tick = () => {
    view.setPlayhead(audio.src ? audio.currentTime * 1000 : null, true);
    frame = requestAnimationFrame(tick);
  };
  frame = requestAnimationFrame(tick);
  setSources(initial);
  return {
    setSources,
    destroy: () => {
      listening.abort();
      cancelAnimationFrame(frame);
      view.onSeek = null;
      controls.remove();
      keys.remove();
      for (const button of soloButtons.values()) button.remove();
    },
  };
};
