// @ts-check
/**
 * Worker-thread host of the single-thread ffmpeg.wasm core (@ffmpeg/core). One command at a time,
 * a fresh core instance per command: fftools/libav globals (log level, options) leak between
 * `exec` calls on one instance (measured: a `-loglevel` set by one command stays for the next), and a fresh instance also
 * returns the wasm heap and MEMFS to zero.
 *
 * Plain JavaScript on purpose: a worker script must load the same way whoever spawns it (vitest
 * or plain Node). Types come from src/engine/protocol.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { createLogBuffer } from '../src/engine/log-buffer.js';
import { loadFvad } from '../src/speech/fvad.ts';
import { diskOutput, speechOutput } from './output-devices.mjs';
import { createWavSpeech } from '../src/speech/wav-speech.ts';
import { runBleedJob } from '../src/speech/bleed-codec.ts';

/** @typedef {import('../src/engine/protocol.ts').WorkerInit} WorkerInit */
/** @typedef {import('../src/engine/protocol.ts').WorkerJob} WorkerJob */
/** @typedef {import('../src/engine/protocol.ts').WorkerResult} WorkerResult */
/** @typedef {import('../src/engine/protocol.ts').WorkerApi} WorkerApi */
/** @typedef {import('../src/engine/engine.ts').RunOutput} RunOutput */

if (!parentPort) throw new Error('ffmpeg-worker.mjs must run in a worker thread');
const port = parentPort;

const init = /** @type {WorkerInit} */ (workerData);

// The core is built with ENVIRONMENT=worker: it reads self.location at start-up and has no Node
// filesystem support (§1 of the notes).
const g = /** @type {any} */ (globalThis);
g.self = globalThis;
g.self.location = { href: init.coreJsUrl };
// WORKERFS only needs FileReaderSync plus Blob-likes with size/slice() (emscripten's
// library_workerfs.js: each read slices the Blob, reads the slice and copies it into the wasm
// heap); these read from a file descriptor on demand, so inputs are never copied into memory.
g.FileReaderSync ??= class {
  readAsArrayBuffer(/** @type {any} */ blob) {
    return blob.read();
  }
};

/**
 * One buffer for every read of the same size (ffmpeg reads in blocks of its I/O buffer): WORKERFS
 * copies a read into the heap at once and keeps nothing, and a fresh buffer per 32 KB block is
 * fresh memory to fault in: a 2.5-minute mixdown segment reads ~19 MB of WAV that way.
 */
let scratch = new ArrayBuffer(0);

/** @param {number} fd @param {number} start @param {number} end @param {number} size */
const fdSlice = (fd, start, end, size) => {
  const from = Math.min(Math.max(0, start), size);
  const length = Math.max(0, Math.min(end, size) - from);
  return {
    size: length,
    /** @param {number} [s] @param {number} [e] */
    slice: (s = 0, e = length) => fdSlice(fd, from + s, from + Math.min(e, length), size),
    read: () => {
      if (scratch.byteLength !== length) scratch = new ArrayBuffer(length);
      const bytes = new Uint8Array(scratch);
      let done = 0;
      while (done < length) {
        const n = readSync(fd, bytes, done, length - done, from + done);
        if (n === 0) throw new Error(`input shrank while it was read (${from + done} of ${size} bytes)`);
        done += n;
      }
      return scratch;
    },
  };
};

/** @type {Promise<any> | undefined} */
let factoryPromise;
const createCore = async () => {
  factoryPromise ??= import(init.coreJsUrl).then((m) => m.default);
  const factory = await factoryPromise;
  return factory({
    // Instantiate the module compiled once in the main thread (~10 ms) instead of compiling again.
    instantiateWasm: (/** @type {WebAssembly.Imports} */ imports, /** @type {Function} */ receive) => {
      WebAssembly.instantiate(init.wasmModule, imports).then((instance) => receive(instance, init.wasmModule));
      return {};
    },
  });
};

/**
 * The instance `ready()` made, unused: the first command runs on it instead of paying a second
 * instantiation (~35–70 ms, on the path to the first render of a CLI run). Still fresh: no
 * command has run on it.
 * @type {any}
 */
let unused;

/** @type {WorkerApi} */
const api = {
  async ready() {
    unused = await createCore();
  },

  async run(job) {
    const started = performance.now();
    // This thread's CPU (Node ≥ 23.9): what a command costs, whatever else loads the machine.
    const cpuStarted = process.threadCpuUsage?.();
    const cpuMs = () => {
      if (!cpuStarted) return undefined;
      const { user, system } = process.threadCpuUsage(cpuStarted);
      return (user + system) / 1000;
    };
    if (job.tool === 'bleed') {
      // Not ffmpeg: the cross-track bleed analysis, here so it never runs on the caller's event loop.
      const input = job.inputs[0];
      const bytes = runBleedJob(/** @type {Uint8Array} */ (input && 'data' in input ? input.data : new Uint8Array(4)));
      const outputs = [{ name: job.outputs[0]?.name ?? 'bleed.json', sizeBytes: bytes.length, bytes }];
      return Comlink.transfer({ exitCode: 0, outputs, log: [], durationMs: performance.now() - started, cpuMs: cpuMs() }, [
        /** @type {ArrayBuffer} */ (bytes.buffer),
      ]);
    }
    const core = unused ?? (await createCore());
    unused = undefined;
    const FS = core.FS;
    const log = createLogBuffer(init.maxLogLines);
    core.setLogger((/** @type {{message: string}} */ { message }) => log.push(message));
    let lastProgressAt = 0;
    core.setProgress((/** @type {{progress: number, time: number}} */ { progress, time }) => {
      const now = performance.now();
      if (now - lastProgressAt < 200) return;
      lastProgressAt = now;
      // A plain message, not a comlink callback: it leaves at once even while the core is busy
      // (a comlink proxy call was measured arriving only after the command ended).
      port.postMessage({ progress: { ratio: progress >= 0 && progress <= 1 ? progress : NaN, timeSec: time / 1e6 } });
    });

    /** @type {number[]} */
    const fds = [];
    /** @type {Map<string, number | null>} */
    const finished = new Map();
    /** @type {Map<string, { frames: Uint8Array, levels: Uint8Array, peaks: Uint8Array } | null>} */
    const analysed = new Map();
    try {
      FS.mkdir('/work');
      const mounted = /** @type {{name: string, data: any}[]} */ ([]);
      for (const input of job.inputs) {
        if ('path' in input) {
          const fd = openSync(input.path, 'r');
          fds.push(fd);
          mounted.push({ name: input.name, data: fdSlice(fd, 0, Infinity, fstatSync(fd).size) });
        } else if (ArrayBuffer.isView(input.data)) {
          FS.writeFile(`/work/${input.name}`, input.data);
        } else {
          mounted.push({ name: input.name, data: input.data });
        }
      }
      if (mounted.length) {
        FS.mkdir('/in');
        FS.mount(FS.filesystems.WORKERFS, { blobs: mounted }, '/in');
        // WORKERFS is read-only, so outputs live in /work; links let args use bare names.
        for (const { name } of mounted) FS.symlink(`/in/${name}`, `/work/${name}`);
      }
      const fvad = job.outputs.some((o) => o.analyze) ? await loadFvad() : null;
      // A speech-wav output: its samples go to the analyzer as they are written.
      const wavAnalyzers = new Map(job.outputs.flatMap((o) => (o.path && o.analyze === 'speech-wav' && fvad ? [[o.name, createWavSpeech(fvad)]] : [])));
      const disk = new Map(
        job.outputs.flatMap((o, i) => (o.path && o.analyze !== 'speech' ? [[o.name, diskOutput(FS, o.name, o.path, i, wavAnalyzers.get(o.name))]] : [])),
      );
      const speech = new Map(job.outputs.flatMap((o, i) => (o.analyze === 'speech' && fvad ? [[o.name, speechOutput(FS, o.name, i, fvad)]] : [])));
      FS.chdir('/work');

      let exitCode = -1;
      try {
        exitCode = job.tool === 'ffprobe' ? core.ffprobe(...job.args) : core.exec(...job.args);
        core.reset();
      } finally {
        // ffprobe's exit code means nothing (always -1); ffmpeg's decides whether outputs stand.
        const keep = job.tool === 'ffprobe' || exitCode === 0;
        for (const [name, output] of disk) finished.set(name, output.finish(keep));
        for (const [name, output] of speech) analysed.set(name, output.finish(keep));
        // Finished (and their VAD freed) whatever happened; kept only with the output.
        for (const [name, analyzer] of wavAnalyzers) {
          const frames = analyzer.finish();
          analysed.set(name, keep ? frames : null);
        }
      }

      /** @type {RunOutput[]} */
      const outputs = [];
      /** @type {ArrayBuffer[]} */
      const transfer = [];
      for (const wanted of job.outputs) {
        const analysis = analysed.get(wanted.name);
        const speechFrames = analysis?.frames;
        if (analysis)
          transfer.push(
            /** @type {ArrayBuffer} */ (analysis.frames.buffer),
            /** @type {ArrayBuffer} */ (analysis.levels.buffer),
            /** @type {ArrayBuffer} */ (analysis.peaks.buffer),
          );
        if (wanted.analyze === 'speech') {
          if (analysis) outputs.push({ name: wanted.name, sizeBytes: 0, speechFrames, speechLevels: analysis.levels, peaks: analysis.peaks });
          continue;
        }
        if (wanted.path) {
          const sizeBytes = finished.get(wanted.name);
          if (sizeBytes != null)
            outputs.push({
              name: wanted.name,
              sizeBytes,
              path: wanted.path,
              ...(analysis ? { speechFrames, speechLevels: analysis.levels, peaks: analysis.peaks } : {}),
            });
          continue;
        }
        const found = FS.analyzePath(`/work/${wanted.name}`);
        if (!found.exists || !found.object || !FS.isFile(found.object.mode)) continue;
        const node = found.object;
        // Hand MEMFS's buffer over instead of copying it; it may be an Int8Array (written from
        // HEAP8), so view it as bytes.
        const bytes = node.contents ? new Uint8Array(node.contents.buffer, node.contents.byteOffset, node.usedBytes) : new Uint8Array(0);
        outputs.push({ name: wanted.name, sizeBytes: bytes.length, bytes });
        if (bytes.buffer instanceof ArrayBuffer) transfer.push(bytes.buffer);
      }
      return Comlink.transfer({ exitCode, outputs, log: log.lines(), durationMs: performance.now() - started, cpuMs: cpuMs() }, transfer);
    } finally {
      for (const fd of fds) closeSync(fd);
    }
  },
};

Comlink.expose(api, nodeEndpoint(/** @type {any} */ (port)));
