/**
 * One recording as a table row: `[data-recording-id]` with `data-status` (the recording's
 * status) and `data-transcription-status`; the error of a failed one; for a write key, reprocess
 * (failed) and transcribe again (failed words); downloads and the timeline of a processed one.
 * Every action is the API's own route, answered in the row.
 */
import { el } from '../dom.ts';
import { api, describeFailure } from './api.ts';
import { downloadsOf } from './downloads.ts';
import { formatDuration, formatWhen } from './format.ts';
import { canWrite, type Caller, type RecordingItem } from './types.ts';

/** The recording's stored outputs exist (its timeline can open, its files download). */
const hasOutputs = (r: RecordingItem) => r.status === 'processed' || r.status === 'cleanup';

const errorLine = (text: string) => {
  const match = /^([A-Z][A-Z0-9_]+): (.*)$/s.exec(text);
  return el('p', { class: 'error', role: 'note' }, ...(match ? [el('code', {}, match[1]!), ` ${match[2]!}`] : [text]));
};

const badge = (status: string, label: string) => el('span', { class: `badge badge-${status}`, 'data-badge': status }, label);

export type RowHooks = {
  caller: Caller;
  /** After an action changed the recording: the list refreshes (and keeps refreshing while it is at work). */
  changed: (message: string) => void;
};

const actionButton = (action: string, label: string, describedBy: string, run: (button: HTMLButtonElement) => Promise<void>) => {
  const button = el('button', { type: 'button', class: 'button', 'data-action': action, 'aria-describedby': describedBy }, label) as HTMLButtonElement;
  button.addEventListener('click', () => {
    button.disabled = true;
    void run(button).finally(() => (button.disabled = false));
  });
  return button;
};

export const recordingRow = (r: RecordingItem, hooks: RowHooks): HTMLTableRowElement => {
  const titleId = `rec-${r.id}`;
  const row = el('tr', {
    'data-recording-id': r.id,
    'data-status': r.status,
    'data-transcription-status': r.transcriptionStatus ?? 'none',
  }) as HTMLTableRowElement;
  const problem = el('div', { class: 'row-message', 'aria-live': 'polite' });
  const fail = (error: unknown) => problem.replaceChildren(errorLine(describeFailure(error)));

  const meeting = el(
    'th',
    { scope: 'row', id: titleId },
    el('span', { class: 'room' }, r.roomName ?? r.platformRecordingId),
    el('span', { class: 'platform' }, `${r.platform} · ${r.platformRecordingId}`),
  );
  const status = el('td', { class: 'status-cell' }, badge(r.status, r.status));
  if (r.error && r.status !== 'processed') status.append(errorLine(r.error));
  const words = el('td', { class: 'status-cell' }, badge(r.transcriptionStatus ?? 'none', r.transcriptionStatus ?? 'none'));
  if (r.transcriptionStatus === 'failed' && r.transcriptionError) words.append(errorLine(r.transcriptionError));

  const actions = el('div', { class: 'actions' });
  if (hasOutputs(r)) {
    actions.append(
      actionButton('open', 'Open timeline', titleId, async () => {
        try {
          const { inspectorUrl } = await api<{ inspectorUrl: string }>(`recordings/${r.id}`);
          location.assign(new URL(inspectorUrl, location.href));
        } catch (error) {
          fail(error);
        }
      }),
    );
  }
  if (canWrite(hooks.caller) && r.status === 'failed') {
    actions.append(
      actionButton('reprocess', 'Reprocess', titleId, async () => {
        try {
          const queued = await api<{ status: string }>(`recordings/${r.id}/reprocess`, { method: 'POST' });
          row.dataset.status = queued.status;
          status.replaceChildren(badge(queued.status, queued.status));
          problem.replaceChildren();
          hooks.changed(`Recording ${r.roomName ?? r.platformRecordingId} queued again.`);
        } catch (error) {
          fail(error);
        }
      }),
    );
  }
  if (canWrite(hooks.caller) && r.transcriptionStatus === 'failed' && r.transcriptId) {
    const transcriptId = r.transcriptId;
    actions.append(
      actionButton('transcribe', 'Transcribe again', titleId, async () => {
        try {
          const queued = await api<{ transcription: { status: string } }>(`transcripts/${transcriptId}/transcribe`, { method: 'POST' });
          row.dataset.transcriptionStatus = queued.transcription.status;
          words.replaceChildren(badge(queued.transcription.status, queued.transcription.status));
          problem.replaceChildren();
          hooks.changed(`Transcription of ${r.roomName ?? r.platformRecordingId} queued again.`);
        } catch (error) {
          fail(error);
        }
      }),
    );
  }
  if (hasOutputs(r)) actions.append(downloadsOf(r, fail));

  row.append(
    meeting,
    el('td', {}, r.startAt ? el('time', { datetime: r.startAt }, formatWhen(r.startAt)) : el('span', { class: 'muted' }, `arrived ${formatWhen(r.createdAt)}`)),
    el('td', { class: 'num' }, formatDuration(r.durationMs)),
    el('td', { class: 'num' }, String(r.tracks)),
    status,
    words,
    el('td', {}, actions, problem),
  );
  return row;
};
