/**
 * The inspector's analysis: the very modules the server runs. Probe and timeline first (fast, no
 * decoding), then the pipeline on the browser engine (ffmpeg.wasm in Web Workers): every track
 * rendered gap-filled, and the mixdown.
 */
import { BlobSource } from 'mediabunny';
import { BrowserEngine } from '../../src/engine/browser-engine.ts';
import { loadBrowserCoreUrls } from '../../wasm/browser-core-assets.ts';
import { probeMedia } from '../../src/probe/probe-media.ts';
import { blobByteReader, bytesByteReader } from '../../src/probe/byte-reader.ts';
import { probeInputs } from '../../src/pipeline/probe-inputs.ts';
import { buildTimeline } from '../../src/timeline/build-timeline.ts';
import { sortInputs } from '../../src/pipeline/sort-inputs.ts';
import { runPipeline, type PipelineInput, type PipelineProgress } from '../../src/pipeline/run-pipeline.ts';
import { joinMp3Segments } from '../../src/mix/join-mp3.ts';
import type { Timeline } from '../../src/timeline/types.ts';
import type { Transcript } from '../../src/transcription/transcript.ts';
import { peaksFromFile, type Peaks } from './waveform.ts';
// WebRTC's VAD (src/speech/fvad.ts), served from this origin like the ffmpeg core.
import fvadWasmUrl from '@echogarden/fvad-wasm/fvad.wasm?url';

const pipelineInputs = (files: readonly File[]): PipelineInput[] =>
  files.map((file) => ({
    file: file.name,
    source: { name: file.name, data: file },
    probe: () => probeMedia(file.name, new BlobSource(file), { reader: blobByteReader(file) }),
  }));

/** A `transcript.json` (as `process --transcribe` writes it) among the dropped files, recognised by content. */
const isTranscript = (value: unknown): value is Transcript =>
  typeof value === 'object' && value !== null && Array.isArray((value as Transcript).words) && Array.isArray((value as Transcript).segments);

export const findTranscript = async (files: readonly File[]): Promise<{ transcript: Transcript | null; rest: File[] }> => {
  for (const file of files) {
    if (!file.name.endsWith('.json') || file.size > 64 * 1024 * 1024) continue;
    const parsed: unknown = await file.text().then(JSON.parse, () => null);
    if (isTranscript(parsed)) return { transcript: parsed, rest: files.filter((f) => f !== file) };
  }
  return { transcript: null, rest: [...files] };
};

/** Daily's event JSON dropped beside the tracks (recognised by content) and the media files; several event logs are refused, as in Node. */
export const sortFiles = (files: readonly File[]) =>
  sortInputs(files, {}, async (file) => ({
    file: file.name,
    sizeBytes: file.size,
    head: async () => new Uint8Array(await file.slice(0, 16).arrayBuffer()),
    text: () => file.text(),
  }));

/** The timeline alone, as `reflector-tracks inspect` computes it. */
export const inspect = async (files: readonly File[]): Promise<Timeline> => {
  const { media, options } = await sortFiles(files);
  return buildTimeline(await probeInputs(pipelineInputs(media)), options);
};

let enginePromise: Promise<BrowserEngine> | undefined;
const engine = () =>
  (enginePromise ??= loadBrowserCoreUrls(new URL('./ffmpeg-core/', document.baseURI)).then((urls) =>
    BrowserEngine.create({ urls, speechWasmUrl: fvadWasmUrl }),
  ));

/** `renders`: each rendered track's file (Opus in WebM), by its input file name. */
export type Rendered = { timeline: Timeline; mixdown: Uint8Array; renders: Map<string, Uint8Array> };

/**
 * The full pipeline in the browser: every track rendered (Opus: compact, 29 MB for 2 hours) and
 * the MP3 mixdown; then each rendered track's waveform peaks, handed to `onPeaks`.
 */
export const render = async (
  files: readonly File[],
  onProgress: (event: PipelineProgress) => void,
  onPeaks: (file: string, peaks: Peaks) => void,
): Promise<Rendered> => {
  const ffmpeg = await engine();
  const { media, options } = await sortFiles(files);
  const result = await runPipeline(pipelineInputs(media), {
    ...options,
    engine: ffmpeg,
    trackFormat: 'opus',
    trackOutput: (name) => ({ name }),
    mixdownSegmentOutput: (index) => ({ name: `mixdown-${index}.mp3` }),
    joinMixdown: async (segments) => {
      const parts: Uint8Array[] = [];
      const sizeBytes = await joinMp3Segments(
        segments.map((s) => ({ reader: bytesByteReader(s.output.bytes!), firstFrame: s.firstFrame, frameCount: s.frameCount })),
        async (bytes) => void parts.push(bytes.slice()),
      );
      const bytes = new Uint8Array(sizeBytes);
      let at = 0;
      for (const part of parts) {
        bytes.set(part, at);
        at += part.length;
      }
      return { name: 'mixdown.mp3', sizeBytes, bytes };
    },
    onProgress,
  });
  // Each render's peaks came from its speech tap (src/mix/peaks.ts): no second decode for the waveform.
  for (const { file, peaks } of result.tracks) if (peaks) onPeaks(file, peaksFromFile(peaks));
  const renders = new Map(result.tracks.flatMap(({ file, output }) => (output.bytes ? [[file, output.bytes] as const] : [])));
  return { timeline: result.timeline, mixdown: result.mixdown.bytes!, renders };
};
