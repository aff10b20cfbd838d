/**
 * The pipeline's contract, types only: what goes in (inputs and options), what comes out, and what
 * the mixdown stages hand each other. Its own file so that run-pipeline.ts, mix-tracks.ts and
 * early-mixdown.ts all import it and none of them the others' types (no import circle).
 */
import type { EngineInput, EngineOutput, RunOutput, Engine } from '../engine/engine.ts';
import type { MixdownOptions } from '../mix/mixdown-args.ts';
import type { MixdownSegment } from '../mix/mixdown-segments.ts';
import type { TrackFormat } from '../mix/track-format.ts';
import type { ProbeResult } from '../probe/probe-media.ts';
import type { TimelineOptions } from '../timeline/build-timeline.ts';
import type { Timeline } from '../timeline/types.ts';
import type { CopyIo } from './copy-io.ts';

export type PipelineInput = {
  /** Basename, as shown in the timeline. */
  file: string;
  source: EngineInput;
  probe: () => Promise<ProbeResult>;
};

export type PipelineProgress =
  | { stage: 'probe'; done: number; total: number }
  | { stage: 'render'; file: string; ratio: number; done: number; total: number }
  | { stage: 'mixdown'; ratio: number };

/** `events`: Daily's event JSON, parsed (event-json.ts); the caller passes it, the pipeline never looks for it among the inputs. */
export type PipelineOptions = TimelineOptions & {
  engine: Engine;
  trackFormat?: TrackFormat;
  /** Opus renders decode and encode again even where the source's packets could be copied (`--reencode`, TRACK_REENCODE). */
  reencode?: boolean;
  /** Reads sources and writes copied renders (copy-io.ts); default: Blobs and bytes only, as in the browser. */
  copyIo?: CopyIo;
  mixdown?: MixdownOptions;
  /** Where a rendered track goes; `output` is `tracks/<file>.<ext>`. */
  trackOutput: (output: string) => EngineOutput;
  /**
   * Where a copied render's decode writes the mixdown's input for track `index` (48 kHz mono WAV,
   * copy-render.ts), so the render is decoded once for the speech analyzer and the mixdown both.
   * Node gives a path (the caller removes it after the run); without it the mixdown decodes the render.
   */
  mixInputOutput?: (index: number) => EngineOutput;
  /** Where mixdown segment `index` is written before the join. */
  mixdownSegmentOutput: (index: number) => EngineOutput;
  /** Joins the segments' kept frames into `mixdown.mp3` (see mix/join-mp3.ts) and drops the segments. */
  joinMixdown: (segments: Array<{ output: RunOutput; firstFrame: number; frameCount: number }>) => Promise<RunOutput>;
  onProgress?: (event: PipelineProgress) => void;
  signal?: AbortSignal;
  /** Stores a rendered track's peaks file (`tracks/<render name>.peaks.dat`); without it the peaks stay in the result only. */
  writePeaks?: (name: string, bytes: Uint8Array) => Promise<void>;
  /** Size of a file being written (Node): lets the mixdown begin while the last WAV renders run (early-mixdown.ts). */
  fileSize?: (path: string) => Promise<number>;
};

export type PipelineResult = {
  timeline: Timeline;
  /** `peaks`: the render's waveform peaks file (src/mix/peaks.ts), when its analysis ran. */
  tracks: Array<{ file: string; output: RunOutput; peaks: Uint8Array | null }>;
  mixdown: RunOutput;
};

/** A mixdown segment done (mix-tracks.ts), early (early-mixdown.ts) or after the renders. */
export type SegmentResult = { segment: MixdownSegment; output: RunOutput };
/** A track as the mixdown reads it: its render, or that render already decoded (a copied render's WAV, copy-render.ts). */
export type MixInput = { output: Pick<RunOutput, 'path' | 'bytes'>; extension: string };
