/**
 * Every recording the signed-in key may see (GET /v1/recordings?order=newest), newest first, a
 * page at a time, filtered by status; while any row's recording or words are still at work the
 * page reloads itself. Rows whose recording did not change keep their element, so focus and an
 * open downloads list survive a refresh.
 */
import { el } from '../dom.ts';
import { ApiFailure, api, describeFailure } from './api.ts';
import { recordingRow } from './recording-row.ts';
import { BUSY_STATUSES, BUSY_TRANSCRIPTION, type Caller, type RecordingItem, type RecordingPage } from './types.ts';

const PAGE_SIZE = 20;
const REFRESH_MS = 2000;
const FILTERS = ['pending', 'processing', 'cleanup', 'processed', 'failed'] as const;

export type RecordingList = { element: HTMLElement; destroy: () => void };

/** `ended`: the session is gone (signed out elsewhere, expired, its key revoked): back to the sign-in form. */
export const recordingList = (caller: Caller, announce: (text: string) => void, ended: (message: string) => void): RecordingList => {
  let offset = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let loading = 0;
  let destroyed = false;
  const shown = new Map<string, { json: string; row: HTMLTableRowElement }>();

  const filter = el(
    'select',
    { id: 'status-filter', name: 'status' },
    el('option', { value: '' }, 'All statuses'),
    ...FILTERS.map((s) => el('option', { value: s }, s)),
  ) as HTMLSelectElement;
  const refreshing = el('span', { class: 'refreshing', 'aria-live': 'polite' });
  const previous = el('button', { type: 'button', class: 'button', 'data-page': 'newer' }, '← Newer') as HTMLButtonElement;
  const next = el('button', { type: 'button', class: 'button', 'data-page': 'older' }, 'Older →') as HTMLButtonElement;
  const pageLabel = el('span', { class: 'page-label', 'aria-live': 'polite' });
  const body = el('tbody');
  const empty = el('p', { class: 'empty', hidden: '' }, 'No recordings.');
  const problem = el('div', { role: 'alert', class: 'list-problem' });
  const table = el(
    'table',
    { class: 'recordings', 'aria-describedby': 'recordings-caption' },
    el('caption', { id: 'recordings-caption' }, 'Recordings, newest first'),
    el('thead', {}, el('tr', {}, ...['Meeting', 'Started', 'Duration', 'Tracks', 'Status', 'Transcript', 'Actions'].map((h) => el('th', { scope: 'col' }, h)))),
    body,
  );
  const element = el(
    'div',
    { class: 'recording-list' },
    el('div', { class: 'list-tools' }, el('label', { for: 'status-filter' }, 'Status'), filter, refreshing),
    problem,
    el('div', { class: 'table-wrap' }, table),
    empty,
    el('nav', { class: 'pager', 'aria-label': 'Pages of recordings' }, previous, pageLabel, next),
  );

  const busy = (r: RecordingItem) => BUSY_STATUSES.has(r.status) || BUSY_TRANSCRIPTION.has(r.transcriptionStatus ?? '');

  const load = async () => {
    clearTimeout(timer);
    const mine = ++loading;
    const query = new URLSearchParams({ order: 'newest', limit: String(PAGE_SIZE), offset: String(offset) });
    if (filter.value) query.set('status', filter.value);
    let page: RecordingPage;
    try {
      page = await api<RecordingPage>(`recordings?${query}`);
    } catch (error) {
      if (mine !== loading || destroyed) return;
      if (error instanceof ApiFailure && error.status === 401) return ended(`Signed out: ${error.message}`);
      problem.replaceChildren(el('p', { class: 'error' }, `Could not list recordings: ${describeFailure(error)}`));
      timer = setTimeout(() => void load(), REFRESH_MS * 5);
      return;
    }
    if (mine !== loading || destroyed) return;
    problem.replaceChildren();
    const rows = page.recordings.map((r) => {
      const json = JSON.stringify(r);
      const kept = shown.get(r.id);
      if (kept?.json === json) return kept.row;
      const row = recordingRow(r, {
        caller,
        changed: (text) => {
          announce(text);
          void load();
        },
      });
      shown.set(r.id, { json, row });
      return row;
    });
    // Replaced only where the order or a row changed: a kept row keeps focus and its open downloads.
    if (rows.length !== body.children.length || rows.some((row, i) => body.children[i] !== row)) body.replaceChildren(...rows);
    for (const id of [...shown.keys()]) if (!page.recordings.some((r) => r.id === id)) shown.delete(id);
    empty.hidden = rows.length > 0;
    previous.disabled = offset === 0;
    next.disabled = page.nextOffset === null;
    pageLabel.textContent = rows.length ? `${offset + 1}–${offset + rows.length}` : '';
    element.dataset.loaded = String(Date.now());
    const working = page.recordings.filter(busy).length;
    refreshing.textContent = working ? `${working} at work — refreshing every ${REFRESH_MS / 1000} s` : '';
    if (working) timer = setTimeout(() => void load(), REFRESH_MS);
  };

  filter.addEventListener('change', () => {
    offset = 0;
    void load();
  });
  previous.addEventListener('click', () => {
    offset = Math.max(0, offset - PAGE_SIZE);
    void load();
  });
  next.addEventListener('click', () => {
    offset += PAGE_SIZE;
    void load();
  });
  void load();
  return {
    element,
    destroy: () => {
      destroyed = true;
      clearTimeout(timer);
    },
  };
};
