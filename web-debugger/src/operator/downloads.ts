/**
 * A processed recording's files as links: the mixdown, the timeline, every render (listed by
 * the stored timeline, fetched when the list is first opened) and, once transcribed, the
 * transcript in its four forms. Each is GET /v1/recordings/:id/files/:name, an attachment the
 * browser downloads with the session cookie.
 */
import { el } from '../dom.ts';
import { api, apiUrl } from './api.ts';
import type { RecordingItem } from './types.ts';

type StoredTrack = { output: string | null; speaker?: string; file: string };

const link = (r: RecordingItem, name: string, label: string) => {
  const base = (r.roomName ?? r.platformRecordingId).replace(/[^A-Za-z0-9._-]+/g, '-');
  return el(
    'li',
    {},
    el('a', { href: apiUrl(`recordings/${r.id}/files/${encodeURIComponent(name)}`).href, download: `${base}-${name}`, 'data-file': name }, label),
  );
};

export const downloadsOf = (r: RecordingItem, fail: (error: unknown) => void) => {
  const list = el('ul', { class: 'download-list' }, link(r, 'mixdown.mp3', 'Mixdown (MP3)'), link(r, 'timeline.json', 'timeline.json'));
  if (r.transcriptionStatus === 'ready') for (const ext of ['json', 'vtt', 'srt', 'txt']) list.append(link(r, `transcript.${ext}`, `Transcript (.${ext})`));
  const details = el('details', { class: 'downloads' }, el('summary', {}, 'Downloads'), list) as HTMLDetailsElement;
  let renders = false;
  details.addEventListener('toggle', () => {
    if (!details.open || renders) return;
    renders = true;
    api<{ tracks: StoredTrack[] }>(`recordings/${r.id}/timeline`)
      .then((timeline) => {
        for (const track of timeline.tracks) {
          if (!track.output) continue;
          const name = track.output.slice(track.output.lastIndexOf('/') + 1);
          list.append(link(r, name, `Track: ${track.speaker ?? track.file} (${name.slice(name.lastIndexOf('.') + 1)})`));
        }
      })
      .catch(fail);
  });
  return details;
};
