/**
 * The one media-engine interface everything else uses: run an ffmpeg (or ffprobe) command over
 * named inputs and collect named outputs. Implemented by a worker-thread pool in Node
 * (`node-engine.ts`) and by `@ffmpeg/ffmpeg` in the browser (`browser-engine.ts`).
 *
 * Inputs and outputs are referred to in `args` by their bare `name` (e.g. `-i track.webm`); the
 * engine places them in the command's working directory.
 */

/** A file on disk (Node only: mounted read-only through WORKERFS, never copied into memory). */
export type PathInput = { name: string; path: string };
/**
 * Bytes or a Blob/File (Blobs are mounted through WORKERFS; bytes are written to MEMFS). Bytes are
 * transferred to the worker, not copied: the caller's buffer is detached afterwards.
 */
export type DataInput = { name: string; data: Uint8Array | Blob };
export type EngineInput = PathInput | DataInput;

/**
 * A wanted output. With `path` (Node only) the worker writes it to disk; otherwise bytes come back.
 * `analyze` also runs the speech analyzer (src/speech/speech-analyzer.ts) over it as ffmpeg writes
 * it and returns the analysis as `speechFrames`:
 * - `speech`: 8 kHz mono s16le PCM (`-f s16le`) made for the analyzer; nothing of it is kept;
 * - `speech-wav`: a 16-bit mono WAV at 8 or 16 kHz, kept as usual; its samples are analysed on
 *   the way (no second output for ffmpeg to make).
 */
export type EngineOutput = { name: string; path?: string; analyze?: 'speech' | 'speech-wav' };

export type EngineProgress = {
  /** ffmpeg's own estimate in [0, 1] when it knows the input duration; otherwise NaN. */
  ratio: number;
  /** Position reached in the output, in seconds. */
  timeSec: number;
};

export type RunRequest = {
  /** ffmpeg arguments without the leading `ffmpeg` (the core prepends `-nostdin -y`). */
  args: readonly string[];
  /**
   * `ffmpeg` (default) or `ffprobe`; `bleed` runs the cross-track bleed analysis instead
   * (src/speech/bleed-codec.ts: its packed input as data, its JSON as the one output; no args).
   */
  tool?: 'ffmpeg' | 'ffprobe' | 'bleed';
  inputs?: readonly EngineInput[];
  outputs?: readonly EngineOutput[];
  /** Kill the command after this long; defaults to the engine's `timeoutMs`. */
  timeoutMs?: number;
  /** Aborting stops the work for real: the worker running it is terminated and replaced. */
  signal?: AbortSignal;
  onProgress?: (progress: EngineProgress) => void;
};

export type RunOutput = {
  name: string;
  sizeBytes: number;
  /** Present when the output had no `path`. */
  bytes?: Uint8Array;
  /** Present when the output was written to disk. */
  path?: string;
  /** For `analyze: 'speech'` outputs: one flag byte per 10 ms frame (speech-analyzer.ts). */
  speechFrames?: Uint8Array;
  /** With `speechFrames`: the track's waveform peaks in audiowaveform's format (src/mix/peaks.ts), from the same samples. */
  peaks?: Uint8Array;
  /** With `speechFrames`: their levels, `LEVEL_BANDS` bytes per frame (src/speech/speech-levels.ts), for the bleed analysis. */
  speechLevels?: Uint8Array;
};

export type RunResult = {
  /** ffmpeg's exit code (0 = success). ffprobe's is meaningless in this core (always -1): judge by output. */
  exitCode: number;
  /** Wanted outputs that exist after the command; missing ones are simply absent. */
  outputs: RunOutput[];
  /** Captured log lines (stderr and stdout), oldest first; long logs keep their head and tail. */
  log: string[];
  /** Wall time of the command inside the worker, including instantiating the core. */
  durationMs: number;
  /** CPU time of the worker thread over the command (Node's engine only: process.threadCpuUsage). */
  cpuMs?: number;
};

/** `ffprobe -show_streams -show_format -of json`, as parsed JSON (numbers stay strings as ffprobe prints them). */
export type FfprobeJson = {
  streams?: Array<Record<string, unknown> & { codec_type?: string; codec_name?: string; start_time?: string }>;
  format?: Record<string, unknown> & { format_name?: string; start_time?: string; duration?: string };
};

export interface Engine {
  /** Number of commands that may run at once. */
  readonly concurrency: number;
  run(request: RunRequest): Promise<RunResult>;
  /** ffprobe of one input: streams and format. Throws `MEDIA_UNREADABLE` when ffprobe finds nothing. */
  probe(input: EngineInput, options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<FfprobeJson>;
  /** Stops all workers; queued and running commands fail with `ENGINE_CLOSED`. */
  close(): Promise<void>;
}
