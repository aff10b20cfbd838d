/**
 * The engine interface in a browser, over `@ffmpeg/ffmpeg` (each `FFmpeg` instance is its own Web
 * Worker hosting the same single-thread core the Node pool runs). A small pool of instances (the
 * Node engine's slot-pool.ts) and stop-for-real: a timeout or abort terminates the instance's
 * worker and loads a new one, as in Node.
 *
 * Unlike the Node worker, an instance is reused across commands (a reload costs ~350 ms,
 * measured with test/browser/engine.test.ts). What leaks between runs on one core is the log level
 * (§1.2), so every command gets an explicit `-loglevel`, and its files are deleted afterwards.
 */
import { FFmpeg, FFFSType } from '@ffmpeg/ffmpeg';
import { TracksError } from '../errors.ts';
import type { BrowserCoreUrls } from '../../wasm/browser-core-assets.ts';
import type { Engine, EngineInput, FfprobeJson, RunRequest, RunResult, RunOutput } from './engine.ts';
import { ffprobeArgs, parseFfprobeResult } from './ffprobe.ts';
import { createLogBuffer } from './log-buffer.js';
import { validateRequestNames } from './requests.ts';
import { SlotPool } from './slot-pool.ts';
import { loadFvad } from '../speech/fvad.ts';
import { createSpeechAnalyzer } from '../speech/speech-analyzer.ts';
import { createWavSpeech } from '../speech/wav-speech.ts';
import { runBleedJob } from '../speech/bleed-codec.ts';

export type BrowserEngineOptions = {
  urls: BrowserCoreUrls;
  /** Instances (Web Workers); default min(4, hardwareConcurrency). */
  workers?: number;
  timeoutMs?: number;
  maxLogLines?: number;
  /** Where the bundler put `@echogarden/fvad-wasm/fvad.wasm`, for `analyze: 'speech'` outputs. */
  speechWasmUrl?: string;
};

type Slot = { ffmpeg: FFmpeg; id: number };

export class BrowserEngine implements Engine {
  readonly concurrency: number;
  readonly #options: Required<Omit<BrowserEngineOptions, 'workers' | 'speechWasmUrl'>> & { speechWasmUrl?: string };
  readonly #pool: SlotPool<Slot>;
  #nextId = 0;

  private constructor(options: BrowserEngineOptions, concurrency: number) {
    this.concurrency = concurrency;
    this.#options = {
      urls: options.urls,
      timeoutMs: options.timeoutMs ?? 30 * 60_000,
      maxLogLines: options.maxLogLines ?? 400,
      speechWasmUrl: options.speechWasmUrl,
    };
    this.#pool = new SlotPool({ timeoutMs: this.#options.timeoutMs });
  }

  static async create(options: BrowserEngineOptions): Promise<BrowserEngine> {
    const concurrency = options.workers ?? Math.max(1, Math.min(4, globalThis.navigator?.hardwareConcurrency ?? 2));
    const engine = new BrowserEngine(options, concurrency);
    for (const slot of await Promise.all(Array.from({ length: concurrency }, () => engine.#load()))) engine.#pool.add(slot);
    return engine;
  }

  async run(request: RunRequest): Promise<RunResult> {
    if (this.#pool.closed) throw new TracksError('ENGINE_CLOSED', 'The engine is closed.');
    validateRequestNames(request);
    if (request.tool === 'bleed') {
      // A second of arithmetic, not ffmpeg: run here rather than hold an ffmpeg instance for it.
      const started = performance.now();
      const input = request.inputs?.[0];
      const bytes = runBleedJob(input && 'data' in input && input.data instanceof Uint8Array ? input.data : new Uint8Array(4));
      return {
        exitCode: 0,
        outputs: [{ name: request.outputs?.[0]?.name ?? 'bleed.json', sizeBytes: bytes.length, bytes }],
        log: [],
        durationMs: performance.now() - started,
      };
    }
    return this.#pool.run(
      request,
      async (slot) => {
        const started = performance.now();
        const log = createLogBuffer(this.#options.maxLogLines);
        const onLog = ({ message }: { message: string }) => log.push(message);
        const onProgress = ({ progress, time }: { progress: number; time: number }) =>
          request.onProgress?.({ ratio: progress >= 0 && progress <= 1 ? progress : Number.NaN, timeSec: time / 1e6 });
        slot.ffmpeg.on('log', onLog);
        slot.ffmpeg.on('progress', onProgress);
        try {
          const result = await this.#execute(slot.ffmpeg, request, slot.id);
          return { ...result, log: log.lines(), durationMs: performance.now() - started };
        } finally {
          slot.ffmpeg.off('log', onLog);
          slot.ffmpeg.off('progress', onProgress);
        }
      },
      (slot) => {
        slot.ffmpeg.terminate();
        // A replacement instance; if it cannot load, the pool is one smaller (nothing unhandled).
        if (!this.#pool.closed)
          this.#load().then(
            (fresh) => this.#pool.add(fresh) || fresh.ffmpeg.terminate(),
            () => {},
          );
      },
    );
  }

  async probe(input: EngineInput, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<FfprobeJson> {
    const result = await this.run({ tool: 'ffprobe', args: ffprobeArgs(input.name), inputs: [input], outputs: [{ name: 'probe.json' }], ...options });
    return parseFfprobeResult(input.name, result);
  }

  /** Queued and running commands fail with ENGINE_CLOSED; every instance is terminated. */
  async close(): Promise<void> {
    for (const slot of this.#pool.close()) slot.ffmpeg.terminate();
  }

  async #execute(ffmpeg: FFmpeg, request: RunRequest, id: number): Promise<Omit<RunResult, 'log' | 'durationMs'>> {
    const dir = `/job${id}`;
    const mountDir = `/in${id}`;
    await ffmpeg.createDir(dir);
    const rename = new Map<string, string>();
    const blobs: Array<{ name: string; data: Blob }> = [];
    for (const input of request.inputs ?? []) {
      if ('path' in input) throw new TracksError('ENGINE_BAD_REQUEST', `Input ${input.name}: file paths exist only in Node; pass a Blob or bytes.`);
      if (input.data instanceof Blob) {
        blobs.push({ name: input.name, data: input.data });
        rename.set(input.name, `${mountDir}/${input.name}`);
      } else {
        await ffmpeg.writeFile(`${dir}/${input.name}`, input.data);
        rename.set(input.name, `${dir}/${input.name}`);
      }
    }
    if (blobs.length) {
      await ffmpeg.createDir(mountDir);
      await ffmpeg.mount(FFFSType.WORKERFS, { blobs }, mountDir);
    }
    for (const output of request.outputs ?? []) rename.set(output.name, `${dir}/${output.name}`);
    // The class has no chdir: bare file names in args are mapped to their places instead.
    const args = request.args.map((a) => rename.get(a) ?? a);
    const tool = request.tool ?? 'ffmpeg';
    if (!args.includes('-loglevel') && !args.includes('-v')) args.unshift('-loglevel', 'info');
    try {
      const exitCode = tool === 'ffprobe' ? await ffmpeg.ffprobe(args) : await ffmpeg.exec(args);
      const outputs: RunOutput[] = [];
      for (const wanted of request.outputs ?? []) {
        const bytes = await ffmpeg.readFile(`${dir}/${wanted.name}`).catch(() => undefined);
        if (!(bytes instanceof Uint8Array)) continue;
        // The same analyzer the Node worker runs, here over the whole output (this core's MEMFS
        // has no streaming device to hook).
        if (wanted.analyze === 'speech') {
          const analyzer = createSpeechAnalyzer(await loadFvad(this.#options.speechWasmUrl));
          analyzer.push(bytes);
          outputs.push({ name: wanted.name, sizeBytes: 0, speechFrames: analyzer.finish(), speechLevels: analyzer.levels() });
        } else if (wanted.analyze === 'speech-wav') {
          const wav = createWavSpeech(await loadFvad(this.#options.speechWasmUrl));
          wav.write(0, bytes);
          const analysis = wav.finish();
          outputs.push({
            name: wanted.name,
            sizeBytes: bytes.length,
            bytes,
            ...(analysis ? { speechFrames: analysis.frames, speechLevels: analysis.levels } : {}),
          });
        } else outputs.push({ name: wanted.name, sizeBytes: bytes.length, bytes });
      }
      return { exitCode, outputs };
    } finally {
      if (blobs.length)
        await ffmpeg
          .unmount(mountDir)
          .then(() => ffmpeg.deleteDir(mountDir))
          .catch(() => {});
      for (const node of await ffmpeg.listDir(dir).catch(() => [])) {
        if (!node.isDir) await ffmpeg.deleteFile(`${dir}/${node.name}`).catch(() => {});
      }
      await ffmpeg.deleteDir(dir).catch(() => {});
    }
  }

  async #load(): Promise<Slot> {
    const ffmpeg = new FFmpeg();
    await ffmpeg.load(this.#options.urls);
    return { ffmpeg, id: this.#nextId++ };
  }
}
