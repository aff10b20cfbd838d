/**
 * The legend: one entry for every mark the timeline draws, each sample styled like its mark
 * (styles.css, `.sample-<mark>`: its own classes, so a count of `.gap` or `.speech` counts marks
 * only). A new mark (bleed) adds one entry and one style.
 */
import { el } from './dom.ts';

type Entry = { mark: string; sample: string; label: string };

const ENTRIES: Entry[] = [
  { mark: 'track', sample: 'track', label: 'track present (joined → left)' },
  { mark: 'waveform', sample: 'waveform', label: 'waveform (peaks of the rendered track)' },
  { mark: 'gap-muted', sample: 'gap-muted', label: 'muted (event JSON: paused)' },
  { mark: 'gap-lost', sample: 'gap-lost', label: 'packets lost (no pause)' },
  { mark: 'gap-no-packets', sample: 'gap-no-packets', label: 'no packets (no event JSON to tell why)' },
  { mark: 'speech', sample: 'speech', label: 'speech' },
  { mark: 'bleed', sample: 'bleed', label: 'bleed: another participant’s voice on this mic' },
  { mark: 'crosstalk', sample: 'crosstalk', label: 'crosstalk: two or more speaking (ruler)' },
  { mark: 'chat', sample: 'chat', label: 'chat message (ruler; hover reads it)' },
  { mark: 'word', sample: 'word', label: 'transcribed word (hover: text and times)' },
  { mark: 'playhead', sample: 'playhead', label: 'playhead' },
];

export const legend = (): HTMLElement =>
  el(
    'ul',
    { class: 'legend', 'aria-label': 'Legend' },
    ...ENTRIES.map((e) => el('li', { 'data-legend': e.mark }, el('span', { class: `sample sample-${e.sample}`, 'aria-hidden': 'true' }), e.label)),
  );
