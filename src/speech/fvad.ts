/**
 * WebRTC's voice activity detector (libfvad, BSD-3) compiled to WebAssembly by the Echogarden
 * project (`@echogarden/fvad-wasm`, 20 KB of wasm): the same module in Node and in the browser.
 * Chosen over Silero VAD on onnxruntime-web after measuring both on generated meetings
 * (test/bench/vad.bench.ts): Silero never called typing speech but cost 56–117 s of CPU per hour
 * of audio; WebRTC's VAD costs well under a second per hour but calls typing speech, which
 * speech-analyzer.ts answers with a periodicity check.
 *
 * The emscripten glue (fvad.js) is a factory; Node finds `fvad.wasm` beside it, a browser passes
 * the wasm's URL (`locateFile`).
 */
// @ts-expect-error: the package ships no types; its surface is the emscripten module below.
import fvadFactory from '@echogarden/fvad-wasm';

type FvadModule = {
  _fvad_new(): number;
  _fvad_free(instance: number): void;
  /** 0 (quality) … 3 (very aggressive); returns 0 on success. */
  _fvad_set_mode(instance: number, mode: number): number;
  /** 8000, 16000, 32000 or 48000; returns 0 on success. */
  _fvad_set_sample_rate(instance: number, sampleRateHz: number): number;
  /** 10, 20 or 30 ms of int16 samples at `ptr`; 1 = voice, 0 = none, -1 = bad frame length. */
  _fvad_process(instance: number, ptr: number, samples: number): number;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  HEAP16: Int16Array;
};

let loading: Promise<FvadModule> | undefined;

/** Loads the wasm once per thread. In a browser, pass the URL the bundler gave `fvad.wasm`. */
export const loadFvad = (wasmUrl?: string): Promise<FvadModule> => {
  loading ??= (fvadFactory as (options: object) => Promise<FvadModule>)(wasmUrl ? { locateFile: () => wasmUrl } : {});
  return loading;
};

export type Fvad = {
  /** Voice in this frame of `samples.length` int16 samples (10, 20 or 30 ms at the set rate). */
  process(samples: Int16Array): boolean;
  free(): void;
};

export const createFvad = (module: FvadModule, options: { mode: number; sampleRateHz: number; maxFrameSamples: number }): Fvad => {
  const instance = module._fvad_new();
  if (!instance) throw new Error('fvad_new failed');
  if (module._fvad_set_mode(instance, options.mode) !== 0 || module._fvad_set_sample_rate(instance, options.sampleRateHz) !== 0) {
    module._fvad_free(instance);
    throw new Error(`fvad: unsupported mode ${options.mode} or rate ${options.sampleRateHz} Hz`);
  }
  const ptr = module._malloc(options.maxFrameSamples * 2);
  return {
    process(samples) {
      // HEAP16 is re-read every call: the view is replaced when the wasm memory grows.
      module.HEAP16.set(samples, ptr >> 1);
      return module._fvad_process(instance, ptr, samples.length) === 1;
    },
    free() {
      module._fvad_free(instance);
      module._free(ptr);
    },
  };
};
