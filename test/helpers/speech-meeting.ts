/**
 * Meetings with real speech and known truth, made by the project's wasm engine from the committed
 * clips in src/demo/speech/ (see its README): utterances placed at known meeting times over a
 * noise floor, keyboard typing, mutes (no packets), one participant reconnecting. The truth of an
 * utterance is where its clip sounds (10 ms frames above -50 dBFS in the clean clip, pauses under
 * 300 ms joined), moved to its place; scoring follows the issue's rule: 10 ms frames, 250 ms collars
 * around every utterance boundary. A track is kept by content (media-cache.ts): the same spec with
 * the same generator is made once, and each caller gets its own copy.
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Engine } from '../../src/engine/engine.ts';
import { dailyName } from '../../src/demo/synthetic-meeting.ts';
import type { SpeechRegion } from '../../src/speech/speech-regions.ts';
import { decodeToPcm } from './decode.ts';
import { cachedMedia, mediaKey } from './media-cache.ts';

export const SPEECH_FIXTURES = new URL('../../src/demo/speech/', import.meta.url).pathname;

export type Utterance = { clip: string; atSec: number; gainDb?: number };
export type SpeechTrackSpec = {
  participantId: string;
  startSec: number;
  endSec: number;
  utterances: Utterance[];
  /** Pink noise, dBFS amplitude. */
  noiseDb?: number;
  /** Key clicks (white noise and a 3 kHz ring, 4 ms decay) every 170 ms within these stretches. */
  typingSec?: Array<[number, number]>;
  /** The noise generator's seed (fixed, so a run can be repeated). */
  seed?: number;
  /** No packets here (a mute). */
  mutesSec?: Array<[number, number]>;
  /**
   * Other participants' voices this mic also hears (bleed: a neighbour, a speakerphone's echo), not
   * part of the truth: each clip at its place and gain, through the room (band-limited to
   * 150–3400 Hz, one reflection 23 ms later at −12 dB).
   */
  bleed?: Utterance[];
  /** The Opus bitrate (default 32k). */
  bitrate?: string;
};

const clipTruthCache = new Map<string, SpeechRegion[]>();

/** Where a clean clip sounds, ms from its start. */
export const clipSpeech = async (engine: Engine, clip: string): Promise<SpeechRegion[]> => {
  const cached = clipTruthCache.get(clip);
  if (cached) return cached;
  const pcm = await decodeToPcm(engine, `${SPEECH_FIXTURES}${clip}`, 8000);
  const regions: SpeechRegion[] = [];
  for (let f = 0; (f + 1) * 80 <= pcm.samples.length; f++) {
    let sum = 0;
    for (let k = f * 80; k < (f + 1) * 80; k++) sum += pcm.samples[k]! * pcm.samples[k]!;
    if (10 * Math.log10(sum / 80 / 32768 ** 2 + 1e-12) < -50) continue;
    const last = regions.at(-1);
    if (last && f * 10 - last.endMs < 300) last.endMs = (f + 1) * 10;
    else regions.push({ startMs: f * 10, endMs: (f + 1) * 10 });
  }
  clipTruthCache.set(clip, regions);
  return regions;
};

const dbToAmp = (db: number) => 10 ** (db / 20);

export type SpeechTrack = {
  path: string;
  /** Where speech sounds, meeting ms (a clip's pauses of 300 ms and more apart). */
  truth: SpeechRegion[];
  /** One span per utterance (clip), meeting ms. */
  utterances: SpeechRegion[];
};

/** Writes the track as a Daily raw-track WebM into `dir`, with its truth (made once per content: media-cache.ts). */
export const writeSpeechTrack = async (engine: Engine, spec: SpeechTrackSpec, dir: string): Promise<SpeechTrack> => {
  const clips = [...new Set([...spec.utterances, ...(spec.bleed ?? [])].map((u) => u.clip))].sort();
  const generators = ['./speech-meeting.ts', './decode.ts', './wav.ts', '../../src/demo/synthetic-meeting.ts'].map((f) => new URL(f, import.meta.url));
  const key = await mediaKey('speech-track', spec, [...generators, ...clips.map((c) => new URL(c, `file://${SPEECH_FIXTURES}`))]);
  const cached = await cachedMedia(key, async (into) => {
    const made = await synthesizeSpeechTrack(engine, spec, into);
    await writeFile(join(into, 'truth.json'), JSON.stringify({ ...made, path: basename(made.path) }));
  });
  const made = JSON.parse(await readFile(join(cached, 'truth.json'), 'utf8')) as SpeechTrack;
  const path = join(dir, made.path);
  await copyFile(join(cached, made.path), path);
  return { ...made, path };
};

const synthesizeSpeechTrack = async (engine: Engine, spec: SpeechTrackSpec, dir: string): Promise<SpeechTrack> => {
  const name = `${dailyName(spec.participantId, 'cam-audio', spec.startSec)}.webm`;
  const heard = [...spec.utterances, ...(spec.bleed ?? [])];
  const inputs = heard.map((u, i) => ({ name: `u${i}.ogg`, path: `${SPEECH_FIXTURES}${u.clip}` }));
  const duration = spec.endSec;
  const typing = (spec.typingSec ?? []).map(([a, b]) => `between(t,${a},${b})`).join('+');
  // Keyboard clicks only where the spec types: aevalsrc evaluates its expression per sample, a
  // third of a second of CPU per 30 s of track even when it is multiplied by zero.
  const keys = typing ? ['[keys]'] : [];
  const sources = [
    `anoisesrc=color=pink:amplitude=${dbToAmp(spec.noiseDb ?? -70).toFixed(6)}:r=48000:d=${duration}:seed=${spec.seed ?? 1}[noise]`,
    ...(typing ? [`aevalsrc='0.35*(0.6*(2*random(0)-1)+0.8*sin(2*PI*3000*t))*exp(-mod(t,0.17)*250)*(${typing})':s=48000:d=${duration}[keys]`] : []),
    ...heard.map((u, i) => {
      const room = i >= spec.utterances.length ? 'highpass=f=150,lowpass=f=3400,aecho=1:1:23:0.25,' : '';
      return `[${i}:a]aresample=48000,${room}volume=${u.gainDb ?? -6}dB,adelay=${Math.round(u.atSec * 1000)}:all=1[u${i}]`;
    }),
  ];
  const keep = [`gte(t,${spec.startSec})`, `lt(t,${spec.endSec})`, ...(spec.mutesSec ?? []).map(([a, b]) => `not(gte(t,${a})*lt(t,${b}))`)].join('*');
  const mix = `[noise]${keys.join('')}${heard.map((_, i) => `[u${i}]`).join('')}amix=inputs=${heard.length + 1 + keys.length}:normalize=0:duration=first,asetnsamples=n=960:p=0,aselect='${keep}'`;
  const result = await engine.run({
    args: [
      '-loglevel',
      'error',
      ...inputs.flatMap((i) => ['-i', i.name]),
      '-filter_complex',
      [...sources, mix].join(';'),
      '-c:a',
      'libopus',
      '-b:a',
      spec.bitrate ?? '32k',
      '-f',
      'webm',
      'out.webm',
    ],
    inputs,
    outputs: [{ name: 'out.webm', path: `${dir}/${name}` }],
  });
  if (result.exitCode !== 0) throw new Error(`could not make ${name}: ${result.log.join('\n')}`);
  const truth: SpeechRegion[] = [];
  const utterances: SpeechRegion[] = [];
  for (const u of spec.utterances) {
    const regions = await clipSpeech(engine, u.clip);
    for (const r of regions) truth.push({ startMs: u.atSec * 1000 + r.startMs, endMs: u.atSec * 1000 + r.endMs });
    utterances.push({ startMs: u.atSec * 1000 + regions[0]!.startMs, endMs: u.atSec * 1000 + regions.at(-1)!.endMs });
  }
  truth.sort((a, b) => a.startMs - b.startMs);
  utterances.sort((a, b) => a.startMs - b.startMs);
  return { path: `${dir}/${name}`, truth, utterances };
};

/** Recall and precision at 10 ms frames, frames within 250 ms of a truth boundary not scored. */
export const scoreSpeech = (truth: readonly SpeechRegion[], found: readonly SpeechRegion[], durationMs: number) => {
  const n = Math.ceil(durationMs / 10);
  const t = new Uint8Array(n);
  const h = new Uint8Array(n);
  const collar = new Uint8Array(n);
  const mark = (a: Uint8Array, from: number, to: number) => a.fill(1, Math.max(0, Math.floor(from / 10)), Math.min(n, Math.ceil(to / 10)));
  for (const r of truth) {
    mark(t, r.startMs, r.endMs);
    mark(collar, r.startMs - 250, r.startMs + 250);
    mark(collar, r.endMs - 250, r.endMs + 250);
  }
  for (const r of found) mark(h, r.startMs, r.endMs);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < n; i++) {
    if (collar[i]) continue;
    if (t[i] && h[i]) tp++;
    else if (h[i]) fp++;
    else if (t[i]) fn++;
  }
  return { recall: tp / (tp + fn), precision: tp / (tp + fp) };
};

/** For each truth utterance, how far the nearest found start is from its start (ms, signed). */
export const startErrorsMs = (truth: readonly SpeechRegion[], found: readonly SpeechRegion[]): number[] =>
  truth.map((u) => found.map((f) => f.startMs - u.startMs).reduce((best, d) => (Math.abs(d) < Math.abs(best) ? d : best), Number.POSITIVE_INFINITY));
