/**
 * The words search (`input#find-word`): Enter (or the buttons) jumps to the next match of the
 * words shown under the rows, shift+Enter to the previous; the view zooms onto the word and the
 * match is highlighted. Case and punctuation are ignored.
 */
import type { TranscriptWord } from '../../src/transcription/transcript.ts';
import { el } from './dom.ts';

export type Findable = { word: TranscriptWord; node: HTMLElement };

const normal = (text: string) =>
  text
    .toLocaleLowerCase()
    .replace(/[^\p{L}\p{N}' ]+/gu, '')
    .trim();

export const findBox = (words: () => Findable[], reveal: (startMs: number, endMs: number) => void): HTMLElement => {
  const input = el('input', {
    id: 'find-word',
    type: 'search',
    placeholder: 'find a word',
    'aria-label': 'Find a word in the transcript',
    autocomplete: 'off',
  });
  const count = el('output', { class: 'muted', 'aria-live': 'polite', for: 'find-word' });
  let matches: Findable[] = [];
  let at = -1;
  const search = () => {
    for (const m of matches) m.node.classList.remove('found', 'current');
    const query = normal(input.value);
    matches = query ? words().filter((w) => normal(w.word.text).includes(query)) : [];
    matches.sort((a, b) => a.word.startMs - b.word.startMs);
    for (const m of matches) m.node.classList.add('found');
    at = -1;
    count.textContent = query ? (matches.length ? `${matches.length} found` : 'not found') : '';
  };
  const step = (by: 1 | -1) => {
    if (matches.length === 0) search();
    if (matches.length === 0) return;
    matches[at]?.node.classList.remove('current');
    at = (at + by + matches.length) % matches.length;
    const match = matches[at]!;
    match.node.classList.add('current');
    match.node.dataset.findIndex = String(at);
    count.textContent = `${at + 1} of ${matches.length}`;
    reveal(match.word.startMs, match.word.endMs);
    match.node.closest('.row')?.scrollIntoView({ block: 'nearest' });
  };
  input.addEventListener('input', search);
  input.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    step(e.shiftKey ? -1 : 1);
  });
  const button = (label: string, title: string, by: 1 | -1) => {
    const b = el('button', { type: 'button', 'aria-label': title, title }, label);
    b.addEventListener('click', () => step(by));
    return b;
  };
  return el('div', { class: 'find', role: 'search' }, input, button('↑', 'previous match', -1), button('↓', 'next match', 1), count);
};
