/**
 * The inspector app: files in (picker, drop, or `?recording=<id>` from the server), timeline out,
 * then the in-browser render for waveforms and the mixdown.
 */
import { describeError } from '../../src/errors.ts';
import type { Timeline } from '../../src/timeline/types.ts';
import { findTranscript, inspect, render } from './analyze.ts';
import type { Transcript } from '../../src/transcription/transcript.ts';
import { clock } from '../../src/timeline/clock.ts';
import { mountTimeline, type TimelineView } from './view.ts';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const app = $('app');
const status = (text: string) => ($('status').textContent = text);

const showSummary = (timeline: Timeline) => {
  const summary = $('summary');
  const gapCount = timeline.tracks.reduce((n, t) => n + t.gaps.length, 0);
  const participants = new Set(timeline.tracks.map((t) => t.participantId ?? t.file)).size;
  summary.replaceChildren(
    ...[
      ['meeting', clock(timeline.durationMs)],
      ['tracks', `${timeline.tracks.length} (${participants} participant${participants === 1 ? '' : 's'})`],
      ['muted stretches', String(gapCount)],
      ['mics open together', clock(timeline.presenceOverlapMs)],
      ['crosstalk', timeline.crosstalkMs === null ? 'after rendering' : clock(timeline.crosstalkMs)],
      ['warnings', String(timeline.warnings.length + timeline.tracks.reduce((n, t) => n + t.warnings.length, 0))],
    ].map(([k, v]) => Object.assign(document.createElement('div'), { innerHTML: `<span>${k}</span><strong>${v}</strong>` })),
  );
  // Bleed paths by text, not markup: they carry file names.
  if (timeline.bleedPairs) {
    const paths = timeline.bleedPairs.map((p) => `${p.fromParticipantId ?? p.fromFile} → ${p.toParticipantId ?? p.toFile}: ${p.lagMs} ms, ${clock(p.bleedMs)}`);
    const item = document.createElement('div');
    item.className = 'bleed-pairs';
    item.dataset.bleedPairs = String(timeline.bleedPairs.length);
    item.title = paths.join('\n');
    item.append(
      Object.assign(document.createElement('span'), { textContent: 'bleed paths' }),
      Object.assign(document.createElement('strong'), { textContent: String(timeline.bleedPairs.length) }),
    );
    summary.append(item);
  }
  summary.hidden = false;
  const skipped = $('skipped');
  skipped.hidden = timeline.skipped.length === 0 && timeline.warnings.length === 0;
  skipped.innerHTML = '';
  if (timeline.skipped.length) {
    skipped.append(Object.assign(document.createElement('h2'), { textContent: 'Skipped inputs' }));
    const list = document.createElement('ul');
    for (const s of timeline.skipped) list.append(Object.assign(document.createElement('li'), { textContent: `${s.file} — ${s.reason}`, title: s.code }));
    skipped.append(list);
  }
  for (const w of timeline.warnings) skipped.append(Object.assign(document.createElement('p'), { className: 'warning', textContent: `⚠ ${w}` }));
};

/** What one analysis holds on to: released when the next one replaces it (no second playhead loop, no stale listeners or blob URLs). */
let current: { view: TimelineView; frame: number; urls: string[] } | null = null;
const release = () => {
  if (!current) return;
  cancelAnimationFrame(current.frame);
  current.view.destroy();
  for (const url of current.urls) URL.revokeObjectURL(url);
  current = null;
};
const blobUrl = (blob: Blob) => {
  const url = URL.createObjectURL(blob);
  current?.urls.push(url);
  return url;
};

const exportLink = (timeline: Timeline) => {
  const link = $<HTMLAnchorElement>('export-timeline');
  link.href = blobUrl(new Blob([`${JSON.stringify(timeline, null, 2)}\n`], { type: 'application/json' }));
  link.hidden = false;
};

/** Mounts a timeline in place of the previous one, with the playhead following the mixdown. */
const show = (timeline: Timeline): TimelineView => {
  release();
  const view = mountTimeline($('timeline'), timeline);
  const audio = $<HTMLAudioElement>('mixdown');
  current = { view, frame: 0, urls: [] };
  const state = current;
  const tick = () => {
    view.setPlayhead(audio.src ? audio.currentTime * 1000 : null);
    state.frame = requestAnimationFrame(tick);
  };
  state.frame = requestAnimationFrame(tick);
  view.onSeek = (ms) => {
    if (!audio.src) return;
    audio.currentTime = ms / 1000;
  };
  exportLink(timeline);
  return view;
};

let run = 0;
const analyzeFiles = async (dropped: File[]) => {
  const mine = ++run;
  if (dropped.length === 0) return;
  const { transcript, rest: files } = await findTranscript(dropped);
  app.dataset.state = 'analyzing';
  $('drop').hidden = true;
  $('player').hidden = true;
  $<HTMLAudioElement>('mixdown').removeAttribute('src');
  status(`Reading ${files.length} file${files.length === 1 ? '' : 's'}…`);
  try {
    const started = performance.now();
    const timeline = await inspect(files);
    if (mine !== run) return;
    showSummary(timeline);
    const view = show(timeline);
    if (transcript) view.setWords(transcript);
    app.dataset.state = 'ready';
    if (timeline.tracks.length === 0) return status('No file has an audio track.');
    status(`Timeline read in ${Math.round(performance.now() - started)} ms. Rendering tracks and the mixdown with ffmpeg.wasm…`);
    $('player').hidden = false;
    const rendered = await render(
      files,
      (p) => {
        if (mine !== run) return;
        if (p.stage === 'render') status(`Rendering tracks ${p.done}/${p.total}…`);
        if (p.stage === 'mixdown') status(`Mixing down ${Math.round(Math.min(1, p.ratio) * 100)}%…`);
      },
      (file, peaks) => mine === run && view.setPeaks(file, peaks),
    );
    if (mine !== run) return;
    // The rendered timeline adds what decoding found: speech and crosstalk. Its outputs are this
    // page's memory, not files, so the export says none.
    const analysed = { ...rendered.timeline, tracks: rendered.timeline.tracks.map((t) => ({ ...t, output: null })) };
    view.setSpeech(analysed);
    showSummary(analysed);
    exportLink(analysed);
    const url = blobUrl(new Blob([rendered.mixdown as Uint8Array<ArrayBuffer>], { type: 'audio/mpeg' }));
    $<HTMLAudioElement>('mixdown').src = url;
    const download = $<HTMLAnchorElement>('download-mixdown');
    download.href = url;
    download.hidden = false;
    status(`Done in ${((performance.now() - started) / 1000).toFixed(1)} s. Click a lane to play from there; ctrl+wheel zooms, drag pans.`);
  } catch (error) {
    app.dataset.state = 'error';
    status(`Could not analyse these files: ${describeError(error)}`);
  }
};

$<HTMLInputElement>('files').addEventListener('change', (e) => void analyzeFiles([...((e.target as HTMLInputElement).files ?? [])]));
for (const type of ['dragover', 'dragenter']) document.addEventListener(type, (e) => e.preventDefault());
document.addEventListener('drop', (e) => {
  e.preventDefault();
  void analyzeFiles([...(e.dataTransfer?.files ?? [])]);
});

// `?recording=<id>&expires=…&signature=…`: the server's record of a processed recording, through
// the short-lived signed link the API hands out (`inspectorUrl` of GET /v1/recordings/:id).
const params = new URLSearchParams(location.search);
const recordingId = params.get('recording');
if (recordingId) {
  status(`Loading recording ${recordingId}…`);
  const link = new URLSearchParams({ expires: params.get('expires') ?? '', signature: params.get('signature') ?? '' });
  const route = (what: string) => new URL(`../v1/recordings/${encodeURIComponent(recordingId)}/${what}?${link}`, location.href);
  fetch(route('timeline'))
    .then(async (timelineResponse) => {
      if (timelineResponse.status === 401 || timelineResponse.status === 403)
        throw new Error('this link is missing, invalid or expired: open the inspectorUrl of GET /v1/recordings/<id>');
      if (!timelineResponse.ok) throw new Error(`no timeline stored for this recording (${timelineResponse.status})`);
      const timeline = (await timelineResponse.json()) as Timeline;
      showSummary(timeline);
      const view = show(timeline);
      // The words, once transcribed (409 until then).
      const words = await fetch(route('transcript'));
      if (words.ok) view.setWords((await words.json()) as Transcript);
      $('drop').hidden = true;
      app.dataset.state = 'ready';
      const audio = await fetch(route('audio'));
      if (audio.ok) {
        $<HTMLAudioElement>('mixdown').src = blobUrl(await audio.blob());
        $('player').hidden = false;
      }
      status(`Recording ${recordingId}: timeline as processed by the server.`);
    })
    .catch((error: unknown) => {
      app.dataset.state = 'error';
      status(`Could not load recording ${recordingId}: ${describeError(error)}`);
    });
}
