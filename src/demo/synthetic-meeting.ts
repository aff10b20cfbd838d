/**
 * Synthetic Daily-style meetings made by our own wasm engine: each track a quiet tone (a mic that
 * is on) with loud 100 ms beeps at known recording times, frames removed where the mic was muted,
 * where packets were lost, or where DTX sent one packet per 400 ms. Used by the tests (known
 * truth to assert against), `npm run bench` and the `demo` command.
 *
 * Frames are removed before the encoder with aselect, so the encoder sees timestamp jumps and the
 * container gets real gaps; 960-sample frames (20 ms at 48 kHz) keep the encoder from re-chunking
 * them, which would close the gaps again (measured: with 1024-sample frames no gap survived).
 */
import type { Engine } from '../engine/engine.ts';
import { TracksError } from '../errors.ts';
import { logTail } from '../engine/log-tail.ts';

export type SyntheticTrack = {
  /** File name, e.g. a Daily raw-track name. */
  name: string;
  /**
   * `wav-gapless` / `aac-gapless`: Daily's transcoded audio tracks — the file starts with the
   * participant's first sample at time 0 and mutes are silence inside it (no frames removed).
   */
  kind?: 'opus-webm' | 'aac-mp4' | 'video-webm' | 'wav-gapless' | 'aac-gapless';
  /** First and last moment with audio, recording time. */
  startSec: number;
  endSec: number;
  /** Muted stretches [from, to) with no packets at all. */
  mutesSec?: ReadonlyArray<readonly [number, number]>;
  /** Stretches where only every 20th frame (one per 400 ms) is kept, as Opus DTX does in silence. */
  dtxSec?: ReadonlyArray<readonly [number, number]>;
  /** Single 20 ms frames lost, by recording time (rounded down to a frame). */
  lostPacketsSec?: readonly number[];
  /** Loud 1 kHz beeps of 100 ms, recording time of their onset. */
  beepsSec?: readonly number[];
  toneHz?: number;
  /**
   * Speech (Opus WebM only): clips of src/demo/speech/ at `atSec` within a period of `periodSec`,
   * repeated for the whole meeting (`aloop`), so an hour needs no more inputs than a minute.
   */
  speech?: { periodSec: number; utterances: ReadonlyArray<{ clip: string; atSec: number }> };
};

/** The speech clips (src/demo/speech/README.md). */
export const SPEECH_CLIPS_DIR = new URL('./speech/', import.meta.url).pathname;

const FRAME_SEC = 0.02;
const FRAME_SAMPLES = 960;
const TONE_AMPLITUDE = 0.05;
/** Under speech the tone is a mic's hum (-50 dBFS), not a -26 dBFS drone that would drown the voice. */
const HUM_AMPLITUDE = 0.003;
const toneAmplitude = (t: SyntheticTrack) => (t.speech ? HUM_AMPLITUDE : TONE_AMPLITUDE);
export const BEEP_AMPLITUDE = 0.6;

const keepExpression = (t: SyntheticTrack): string => {
  const terms = [`gte(t,${t.startSec})`, `lt(t,${t.endSec})`];
  for (const [a, b] of t.mutesSec ?? []) terms.push(`not(gte(t,${a})*lt(t,${b}))`);
  for (const s of t.lostPacketsSec ?? []) terms.push(`not(eq(n,${Math.floor(s / FRAME_SEC + 1e-9)}))`);
  for (const [a, b] of t.dtxSec ?? []) terms.push(`(not(gte(t,${a})*lt(t,${b}))+eq(mod(n,20),0))`);
  return terms.join('*');
};

const sourceExpression = (t: SyntheticTrack): string => {
  const beeps = (t.beepsSec ?? []).map((b) => `between(t,${b},${b + 0.1})`).join('+') || '0';
  return `${toneAmplitude(t)}*sin(2*PI*${t.toneHz ?? 300}*t)+${BEEP_AMPLITUDE}*sin(2*PI*1000*t)*(${beeps})`;
};

/** The same signal in the file's own clock starting at the participant's first sample, mutes as silence. */
const gaplessExpression = (t: SyntheticTrack): string => {
  const at = (sec: number) => (sec - t.startSec).toFixed(6);
  const beeps = (t.beepsSec ?? []).map((b) => `between(t,${at(b)},${at(b + 0.1)})`).join('+') || '0';
  const open = (t.mutesSec ?? []).map(([a, b]) => `not(gte(t,${at(a)})*lt(t,${at(b)}))`).join('*') || '1';
  return `(${TONE_AMPLITUDE}*sin(2*PI*${t.toneHz ?? 300}*t)+${BEEP_AMPLITUDE}*sin(2*PI*1000*t)*(${beeps}))*${open}`;
};

/**
 * The tone plus the speech pattern looped over the meeting, then the frames removed as for any
 * track (20 ms frames first, so mutes and lost packets stay real container gaps).
 */
const speechGraph = (t: SyntheticTrack): string => {
  const { periodSec, utterances } = t.speech!;
  const clips = utterances.map((u, i) => `[${i + 1}:a]aresample=48000,volume=-6dB,adelay=${Math.round(u.atSec * 1000)}:all=1[c${i}]`);
  const pattern = `${utterances.map((_, i) => `[c${i}]`).join('')}amix=inputs=${utterances.length}:normalize=0:duration=longest,apad=whole_dur=${periodSec},atrim=0:${periodSec},aloop=loop=-1:size=${periodSec * 48000},atrim=0:${t.endSec}[speech]`;
  const keep = `[0:a][speech]amix=inputs=2:normalize=0:duration=first,asetnsamples=n=${FRAME_SAMPLES}:p=0,aselect='${keepExpression(t)}'`;
  return [...clips, pattern, keep].join(';');
};

/** ffmpeg args that write `outputName` (pure; exported for the tests). */
const syntheticTrackArgs = (t: SyntheticTrack, outputName: string): string[] => {
  const audioIn = ['-f', 'lavfi', '-i', `aevalsrc='${sourceExpression(t)}':s=48000:n=${FRAME_SAMPLES}:c=mono:d=${t.endSec}`];
  const select = t.speech ? ['-filter_complex', speechGraph(t)] : ['-af', `aselect='${keepExpression(t)}'`];
  const video = ['-f', 'lavfi', '-i', `testsrc=size=64x48:rate=5:d=${t.endSec}`];
  switch (t.kind ?? 'opus-webm') {
    case 'opus-webm':
      return [
        '-loglevel',
        'error',
        ...audioIn,
        ...(t.speech?.utterances ?? []).flatMap((_, i) => ['-i', `speech${i}.ogg`]),
        ...select,
        '-c:a',
        'libopus',
        '-b:a',
        '32k',
        '-application',
        'voip',
        '-f',
        'webm',
        outputName,
      ];
    case 'aac-mp4':
      return [
        '-loglevel',
        'error',
        ...audioIn,
        ...video,
        ...select,
        '-map',
        '0:a',
        '-map',
        '1:v',
        '-c:a',
        'aac',
        '-b:a',
        '64k',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-pix_fmt',
        'yuv420p',
        '-f',
        'mp4',
        outputName,
      ];
    case 'video-webm':
      return ['-loglevel', 'error', ...video, '-c:v', 'libvpx', '-b:v', '50k', '-f', 'webm', outputName];
    case 'wav-gapless':
    case 'aac-gapless': {
      const source = ['-f', 'lavfi', '-i', `aevalsrc='${gaplessExpression(t)}':s=48000:n=${FRAME_SAMPLES}:c=mono:d=${(t.endSec - t.startSec).toFixed(6)}`];
      const codec = t.kind === 'wav-gapless' ? ['-c:a', 'pcm_s16le', '-f', 'wav'] : ['-c:a', 'aac', '-b:a', '64k', '-f', 'adts'];
      return ['-loglevel', 'error', ...source, ...codec, outputName];
    }
  }
};

/** Writes every track into `dir` (Node) via the engine, in parallel on its pool. */
export const writeSyntheticTracks = async (engine: Engine, tracks: readonly SyntheticTrack[], dir: string): Promise<string[]> =>
  Promise.all(
    tracks.map(async (t) => {
      const path = `${dir}/${t.name}`;
      // Engine names must be bare and colon-free (ffmpeg reads `x:` as a protocol); the path keeps the real name.
      const result = await engine.run({
        args: syntheticTrackArgs(t, 'out'),
        inputs: (t.speech?.utterances ?? []).map((u, i) => ({ name: `speech${i}.ogg`, path: `${SPEECH_CLIPS_DIR}${u.clip}` })),
        outputs: [{ name: 'out', path }],
      });
      if (result.exitCode !== 0) {
        throw new TracksError('MEDIA_RENDER_FAILED', `could not synthesize ${t.name}: ${logTail(result.log)}`);
      }
      return path;
    }),
  );

const RECORDING_START_MS = 1_700_000_000_000;
/** The container-vs-filename delta Daily recordings show (container earlier). */
const DAILY_NAME_DELAY_MS = 209;

/** A Daily raw-track name whose filename offset is `offsetSec` + Daily's 209 ms. */
export const dailyName = (participantId: string, trackName: string, offsetSec: number, extraDelayMs = 0): string =>
  `${RECORDING_START_MS}-${participantId}-${trackName}-${RECORDING_START_MS + Math.round(offsetSec * 1000) + DAILY_NAME_DELAY_MS + extraDelayMs}`;
