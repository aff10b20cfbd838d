/**
 * The inspector app: files in (picker, drop, or `?recording=<id>` from the server), timeline out,
 * then the in-browser render for waveforms and the mixdown.
 */
import { describeError } from '../../src/errors.ts';
import type { Timeline } from '../../src/timeline/types.ts';
import { findTranscript, inspect, render } from './analyze.ts';
import type { Transcript } from '../../src/transcription/transcript.ts';
import { mountTimeline, type TimelineView } from './view.ts';
import { showError, showSummary as renderSummary } from './summary.ts';
import { loadStoredPeaks } from './stored-peaks.ts';
import { listen, type Listening, type Sources } from './listen.ts';
import type { ServedTimeline } from '../../src/server/served-timeline.ts';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const app = $('app');
const status = (text: string) => ($('status').textContent = text);

const showSummary = (timeline: Timeline) => renderSummary($('summary'), $('skipped'), timeline);

/** What one analysis holds on to: released when the next one replaces it (no second playhead loop, no stale listeners or blob URLs). */
let current: { view: TimelineView; listening: Listening; urls: string[] } | null = null;
const release = () => {
  if (!current) return;
  current.listening.destroy();
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

/** Mounts a timeline in place of the previous one, with its player (listen.ts: mixdown or solo, playhead, keys). */
const show = (timeline: Timeline, sources?: Sources): { view: TimelineView; listening: Listening } => {
  release();
  const view = mountTimeline($('timeline'), timeline);
  const listening = listen($<HTMLAudioElement>('mixdown'), $('player'), view, sources);
  current = { view, listening, urls: [] };
  exportLink(timeline);
  return { view, listening };
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
    const { view, listening } = show(timeline);
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
    // Solo plays the renders made here, from memory.
    const renders = new Map(
      [...rendered.renders].map(([file, bytes]) => [file, blobUrl(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'audio/webm' }))]),
    );
    listening.setSources({ mixdown: url, track: (track) => renders.get(track.file) ?? null });
    const download = $<HTMLAnchorElement>('download-mixdown');
    download.href = url;
    download.hidden = false;
    status(
      `Done in ${((performance.now() - started) / 1000).toFixed(1)} s. Click a lane to play from there, Solo a track to hear it alone; space plays or pauses, ctrl+wheel or + − zoom, drag pans.`,
    );
  } catch (error) {
    app.dataset.state = 'error';
    showError($('status'), 'Could not analyse these files: ', describeError(error));
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
      const timeline = (await timelineResponse.json()) as ServedTimeline;
      showSummary(timeline);
      // The mixdown and the renders stream when played (byte ranges): nothing of them is downloaded to draw the page.
      $<HTMLAudioElement>('mixdown').preload = 'none';
      const { view } = show(timeline, {
        mixdown: route('audio').href,
        track: (track) => {
          const { trackId } = track as ServedTimeline['tracks'][number];
          return trackId && track.output ? route(`tracks/${encodeURIComponent(trackId)}/audio`).href : null;
        },
      });
      const drawn = loadStoredPeaks(timeline, (trackId) => route(`tracks/${encodeURIComponent(trackId)}/peaks`), view);
      // The words, once transcribed (409 until then).
      const words = await fetch(route('transcript'));
      if (words.ok) view.setWords((await words.json()) as Transcript);
      $('drop').hidden = true;
      app.dataset.state = 'ready';
      $('player').hidden = false;
      const waveforms = await drawn;
      status(`Recording ${recordingId}: timeline as processed by the server; ${waveforms} waveform${waveforms === 1 ? '' : 's'} drawn from stored peaks.`);
    })
    .catch((error: unknown) => {
      app.dataset.state = 'error';
      showError($('status'), `Could not load recording ${recordingId}: `, describeError(error));
    });
}
