/**
 * `npm run bench:vad`: the speech detector against the alternatives, on the same rendered PCM of
 * generated tracks (committed speech clips, noise, typing, a mute, two voices at once; see
 * test/helpers/speech-meeting.ts): recall and precision at 10 ms frames with 250 ms collars, and
 * CPU seconds per hour of audio.
 *
 * - `webrtc`: WebRTC's VAD alone (mode 1, 30 ms blocks), runs shorter than 300 ms apart joined;
 * - `ours`: src/speech/ (WebRTC's VAD + noise floor + periodicity + region rules);
 * - `silero`: Silero VAD v5 on onnxruntime-web's wasm backend, its usual settings (0.5 on,
 *   0.35 off, 100 ms min silence, 250 ms min speech, 30 ms pad) — only when
 *   `npm i --no-save onnxruntime-web @ricky0123/vad-web` has put it (and its model) in node_modules.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeEngine } from '../../src/engine/node-engine.ts';
import { renderTrackArgs } from '../../src/mix/render-args.ts';
import { inspectFiles } from '../../src/pipeline/process-files.ts';
import { createFvad, loadFvad } from '../../src/speech/fvad.ts';
import { createSpeechAnalyzer } from '../../src/speech/speech-analyzer.ts';
import { type SpeechRegion, speechRegions } from '../../src/speech/speech-regions.ts';
import { readWav } from '../helpers/wav.ts';
import { scoreSpeech, type SpeechTrackSpec, writeSpeechTrack } from '../helpers/speech-meeting.ts';

const P = '11111111-1111-4111-8111-111111111111';
const talk = [
  { clip: 'm1.ogg', atSec: 2 },
  { clip: 'f2.ogg', atSec: 9 },
  { clip: 'm2.ogg', atSec: 16 },
  { clip: 'f3.ogg', atSec: 22 },
  { clip: 'm3.ogg', atSec: 34 },
];
const SCENARIOS: Record<string, SpeechTrackSpec> = {
  clean: { participantId: P, startSec: 0.5, endSec: 40, noiseDb: -70, utterances: talk },
  noisy: { participantId: P, startSec: 0.5, endSec: 40, noiseDb: -38, utterances: talk },
  typing: {
    participantId: P,
    startSec: 0.5,
    endSec: 40,
    noiseDb: -56,
    typingSec: [
      [5.5, 8.8],
      [28, 33.5],
    ],
    utterances: talk,
  },
  'typing+noise': {
    participantId: P,
    startSec: 0.5,
    endSec: 40,
    noiseDb: -42,
    typingSec: [
      [5.5, 8.8],
      [28, 33.5],
    ],
    utterances: talk,
  },
  mute: { participantId: P, startSec: 0.5, endSec: 40, noiseDb: -50, mutesSec: [[28, 33]], typingSec: [[33.2, 33.9]], utterances: talk },
  quiet: { participantId: P, startSec: 0.5, endSec: 40, noiseDb: -62, utterances: talk.map((u) => ({ ...u, gainDb: -24 })) },
  'two voices': {
    participantId: P,
    startSec: 0.5,
    endSec: 40,
    noiseDb: -56,
    utterances: [...talk, { clip: 'f1.ogg', atSec: 3 }, { clip: 'f1.ogg', atSec: 17 }],
  },
};

const join300 = (regions: SpeechRegion[]) =>
  regions.reduce<SpeechRegion[]>((out, r) => {
    const last = out.at(-1);
    if (last && r.startMs - last.endMs < 300) last.endMs = r.endMs;
    else out.push({ ...r });
    return out;
  }, []);

const webrtcAlone = (module: Awaited<ReturnType<typeof loadFvad>>, pcm: Int16Array): SpeechRegion[] => {
  const vad = createFvad(module, { mode: 1, sampleRateHz: 8000, maxFrameSamples: 240 });
  const regions: SpeechRegion[] = [];
  for (let at = 0; at + 240 <= pcm.length; at += 240) if (vad.process(pcm.subarray(at, at + 240))) regions.push({ startMs: at / 8, endMs: (at + 240) / 8 });
  vad.free();
  return join300(regions);
};

const loadSilero = async () => {
  try {
    const require = createRequire(import.meta.url);
    // Optional, not a dependency: a string variable keeps the typecheck from requiring it.
    const optional: string = 'onnxruntime-web';
    const ort = await import(optional);
    const modelPath = require.resolve('@ricky0123/vad-web/dist/silero_vad_v5.onnx');
    ort.env.wasm.numThreads = 1;
    const session = await ort.InferenceSession.create((await import('node:fs')).readFileSync(modelPath));
    return async (pcm16k: Int16Array): Promise<SpeechRegion[]> => {
      let state: unknown = new ort.Tensor('float32', new Float32Array(256), [2, 1, 128]);
      const sr = new ort.Tensor('int64', BigInt64Array.from([16000n]), []);
      const input = new Float32Array(576);
      const regions: SpeechRegion[] = [];
      let on = false;
      for (let at = 0; at + 512 <= pcm16k.length; at += 512) {
        input.copyWithin(0, 512, 576);
        for (let k = 0; k < 512; k++) input[64 + k] = pcm16k[at + k]! / 32768;
        const out = await session.run({ input: new ort.Tensor('float32', input.slice(), [1, 576]), state, sr });
        const p = (out.output!.data as Float32Array)[0]!;
        state = out.stateN;
        on = on ? p >= 0.35 : p >= 0.5;
        if (on) regions.push({ startMs: at / 16, endMs: (at + 512) / 16 });
      }
      return regions
        .reduce<SpeechRegion[]>((out, r) => {
          const last = out.at(-1);
          if (last && r.startMs - last.endMs < 100) last.endMs = r.endMs;
          else out.push({ ...r });
          return out;
        }, [])
        .filter((r) => r.endMs - r.startMs >= 250)
        .map((r) => ({ startMs: Math.max(0, r.startMs - 30), endMs: r.endMs + 30 }));
    };
  } catch {
    return null;
  }
};

const engine = await createNodeEngine({ workers: 2 });
const dir = await mkdtemp(join(tmpdir(), 'rt-bench-vad-'));
const fvad = await loadFvad();
const silero = await loadSilero();
if (!silero) console.log('silero: not installed (npm i --no-save onnxruntime-web @ricky0123/vad-web), skipped\n');
const cost = { webrtc: 0, ours: 0, silero: 0, audioSec: 0 };
console.log(`${'scenario'.padEnd(14)} ${['webrtc', 'ours', 'silero'].map((n) => `${n} recall/precision`.padEnd(26)).join('')}`);
try {
  for (const [name, spec] of Object.entries(SCENARIOS)) {
    const track = await writeSpeechTrack(engine, { ...spec, seed: 7 }, dir);
    const placed = (await inspectFiles([track.path])).tracks[0]!;
    const run = await engine.run({
      args: renderTrackArgs(placed, 'wav', { inputName: 'in.webm', outputName: 'track.wav', speechName: 'speech.pcm' }),
      inputs: [{ name: 'in.webm', path: track.path }],
      outputs: [{ name: 'track.wav' }, { name: 'speech.pcm' }],
    });
    const pcm16k = readWav(run.outputs.find((o) => o.name === 'track.wav')!.bytes!).samples;
    const pcm8k = run.outputs.find((o) => o.name === 'speech.pcm')!.bytes!;
    const durationMs = placed.endMs;
    cost.audioSec += durationMs / 1000;
    let t = performance.now();
    const webrtc = webrtcAlone(fvad, new Int16Array(pcm8k.slice().buffer));
    cost.webrtc += performance.now() - t;
    t = performance.now();
    const analyzer = createSpeechAnalyzer(fvad);
    analyzer.push(pcm8k);
    const ours = speechRegions(analyzer.finish());
    cost.ours += performance.now() - t;
    t = performance.now();
    const sil = silero ? await silero(pcm16k) : null;
    cost.silero += performance.now() - t;
    const cell = (found: SpeechRegion[] | null) => {
      if (!found) return '-'.padEnd(26);
      const s = scoreSpeech(track.truth, found, durationMs);
      return `${s.recall.toFixed(3)} / ${s.precision.toFixed(3)}`.padEnd(26);
    };
    console.log(`${name.padEnd(14)} ${cell(webrtc)}${cell(ours)}${cell(sil)}`);
  }
  const perHour = (ms: number) => `${((ms / 1000 / cost.audioSec) * 3600).toFixed(2)} s`;
  console.log(`\nCPU per hour of audio: webrtc ${perHour(cost.webrtc)}, ours ${perHour(cost.ours)}${silero ? `, silero ${perHour(cost.silero)}` : ''}`);
  console.log('(the truth counts a clip’s pauses under 300 ms as speech; costs include each detector’s first, unoptimized runs)');
} finally {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
}
