/**
 * The timeline's keys: space plays or pauses, ← → seek 5 s (with shift 30 s), + and − zoom.
 * Keys meant for something else are left alone: typing in a field (the words search), a
 * modifier held (ctrl/⌘ + is the browser's zoom), space or Enter on a button, link or summary
 * (they activate it), and anything on the audio element's own controls (they already seek and play).
 */
export type KeyActions = { togglePlay(): void; seekBy(ms: number): void; zoom(factor: number): void };

export const KEYS_HELP = 'Space plays or pauses · ← → seek 5 s (shift: 30 s) · + − zoom · click a lane to play from there';

const SEEK_MS = 5_000;
const SEEK_FAR_MS = 30_000;
const ZOOM_IN = 1 / 1.5;
const ZOOM_OUT = 1.5;

const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT', 'AUDIO', 'VIDEO'].includes(target.tagName));
const activates = (target: EventTarget | null) => target instanceof HTMLElement && ['BUTTON', 'A', 'SUMMARY'].includes(target.tagName);

/** Listens on `doc` until `signal` aborts. */
export const bindKeys = (doc: Document, actions: KeyActions, signal: AbortSignal) => {
  doc.addEventListener(
    'keydown',
    (e) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || typing(e.target)) return;
      const act = (): boolean => {
        switch (e.key) {
          case ' ':
            if (activates(e.target)) return false;
            actions.togglePlay();
            return true;
          case 'ArrowLeft':
          case 'ArrowRight':
            actions.seekBy((e.key === 'ArrowLeft' ? -1 : 1) * (e.shiftKey ? SEEK_FAR_MS : SEEK_MS));
            return true;
          case '+':
          case '=':
            actions.zoom(ZOOM_IN);
            return true;
          case '-':
          case '−':
          case '_':
            actions.zoom(ZOOM_OUT);
            return true;
          default:
            return false;
        }
      };
      // Handled here: no page scroll on space or the arrows.
      if (act()) e.preventDefault();
    },
    { signal },
  );
};
