/**
 * The analyzer and the region rules on their own: what the worker and the browser feed it (PCM in
 * arbitrary chunks) must not change what it finds, digital silence is never speech, and the rules
 * that keep clicks out.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.ts';
import { sharedEngine } from '../helpers/shared-engine.ts';
import { loadFvad } from '../../src/speech/fvad.ts';
import { CANDIDATE, createSpeechAnalyzer, VOICED } from '../../src/speech/speech-analyzer.ts';
import { speechRegions } from '../../src/speech/speech-regions.ts';
import { createHalfbandDecimator } from '../../src/speech/halfband.ts';
import { createWavTap } from '../../src/speech/wav-tap.ts';
import { decodeToPcm } from '../helpers/decode.ts';
import { SPEECH_FIXTURES } from '../helpers/speech-meeting.ts';

let engine: Engine;
let pcm: Uint8Array;

beforeAll(async () => {
  engine = await sharedEngine();
  const decoded = await decodeToPcm(engine, `${SPEECH_FIXTURES}jfk.ogg`, 8000);
  pcm = new Uint8Array(decoded.samples.buffer);
});

const analyse = async (chunks: Uint8Array[]) => {
  const analyzer = createSpeechAnalyzer(await loadFvad());
  for (const c of chunks) analyzer.push(c);
  return analyzer.finish();
};

describe('speech analyzer', () => {
  it('finds the same frames whatever the chunking (odd splits included), one per 10 ms', async () => {
    const whole = await analyse([pcm]);
    const pieces: Uint8Array[] = [];
    for (let at = 0, size = 1; at < pcm.length; at += size, size = (size * 7 + 3) % 4099) pieces.push(pcm.subarray(at, at + size));
    expect(await analyse(pieces)).toEqual(whole);
    expect(whole.length).toBe(Math.floor(pcm.length / 2 / 80));
  });

  it('hears a real voice (JFK, whisper.cpp’s sample): most of its 11 s is speech', async () => {
    const regions = speechRegions(await analyse([pcm]));
    const talkMs = regions.reduce((sum, r) => sum + r.endMs - r.startMs, 0);
    expect(talkMs).toBeGreaterThan(6500);
    expect(talkMs).toBeLessThan(11_000);
  });

  it('calls digital silence nothing', async () => {
    const frames = await analyse([new Uint8Array(16000 * 5)]);
    expect(frames.every((f) => f === 0)).toBe(true);
  });
});

describe('speech regions', () => {
  const frames = (spec: string) => Uint8Array.from(spec, (c) => (c === 'v' ? CANDIDATE | VOICED : c === 'c' ? CANDIDATE : 0));

  it('ignores voiced runs under 40 ms (a ringing click) and regions under 120 ms voiced', () => {
    expect(speechRegions(frames('..vvv..vvv..vvv..vvv..vvv..vvv....'))).toEqual([]);
    expect(speechRegions(frames('..vvvvvvvvvvv.....................'))).toEqual([]);
    expect(speechRegions(frames('..vvvvvvvvvvvv....................'))).toEqual([{ startMs: 0, endMs: 190 }]);
  });

  it('joins runs closer than 450 ms and widens over adjacent candidate frames, plus 50 ms', () => {
    const spec = `${'.'.repeat(20)}cc${'v'.repeat(6)}${'.'.repeat(44)}${'v'.repeat(6)}c${'.'.repeat(40)}`;
    expect(speechRegions(frames(spec))).toEqual([{ startMs: 150, endMs: 840 }]);
  });

  it('keeps runs 460 ms apart as two regions', () => {
    const spec = `${'v'.repeat(12)}${'.'.repeat(46)}${'v'.repeat(12)}`;
    expect(speechRegions(frames(spec))).toEqual([
      { startMs: 0, endMs: 170 },
      { startMs: 530, endMs: 700 },
    ]);
  });
});

describe('a WAV render read as it is written', () => {
  const wav = (() => {
    // As ffmpeg's muxer lays it out: RIFF, fmt, a LIST chunk, then data.
    const samples = Int16Array.from({ length: 1000 }, (_, i) => Math.round(8000 * Math.sin(i / 7)));
    const list = new TextEncoder().encode('LIST\x0e\x00\x00\x00INFOISFT\x02\x00\x00\x00L\x00');
    const bytes = new Uint8Array(12 + 24 + list.length + 8 + samples.byteLength);
    const view = new DataView(bytes.buffer);
    bytes.set(new TextEncoder().encode('RIFF'), 0);
    bytes.set(new TextEncoder().encode('WAVEfmt '), 8);
    view.setUint32(16, 16, true);
    view.setUint16(20, 1, true);
    view.setUint16(22, 1, true);
    view.setUint32(24, 16000, true);
    view.setUint16(34, 16, true);
    bytes.set(list, 36);
    bytes.set(new TextEncoder().encode('data'), 36 + list.length);
    bytes.set(new Uint8Array(samples.buffer), 44 + list.length);
    return { bytes, samples, dataStart: 44 + list.length };
  })();

  it('passes exactly the data samples on, whatever the writes, and ignores the size fields rewritten at the end', () => {
    const seen: number[] = [];
    let rate = 0;
    const tap = createWavTap((rateHz) => {
      rate = rateHz;
      return (samples) => seen.push(...samples);
    });
    for (let at = 0, size = 5; at < wav.bytes.length; at += size, size = (size * 3 + 1) % 97) tap.write(at, wav.bytes.subarray(at, at + size));
    tap.write(4, new Uint8Array(4));
    tap.write(wav.dataStart - 4, new Uint8Array(4));
    expect(rate).toBe(16000);
    expect(Uint8Array.from(seen)).toEqual(wav.bytes.subarray(wav.dataStart));
  });

  it('halves 16 kHz to 8 kHz the same however the samples arrive', () => {
    const whole = createHalfbandDecimator()(wav.samples);
    const pieces = createHalfbandDecimator();
    const parts: number[] = [];
    for (let at = 0, size = 1; at < wav.samples.length; at += size, size = (size % 13) + 2) parts.push(...pieces(wav.samples.subarray(at, at + size)));
    expect(Int16Array.from(parts)).toEqual(whole);
    expect(whole.length).toBe(500);
    // A 16000/(2π·7) ≈ 364 Hz sine passes at its level.
    expect(Math.max(...whole.subarray(20))).toBeGreaterThan(7800);
  });

  it('rounds like Math.round and clamps to int16, whatever the chunk sizes (its buffers are reused and grown)', () => {
    // Full-scale noise with runs at the rails (so the filter overshoots and must clamp), then odd
    // samples alone on the centre tap's phase: each output there is exactly ±x.5, a tie to round.
    const input = Int16Array.from({ length: 60_000 }, (_, i) =>
      i >= 50_000 ? (i % 2 ? (i % 3 ? 5 : -7) : 0) : i % 4000 < 300 ? ((i >> 3) % 2 ? 32767 : -32768) : ((i * 2654435761) % 65536) - 32768,
    );
    // The direct form with Math.round, the same sum in the same order.
    const padded = new Int16Array(14 + input.length);
    padded.set(input, 14);
    const expected: number[] = [];
    for (let at = 0; at + 14 < padded.length; at += 2) {
      const b = padded;
      const sum =
        0.5 * b[at + 7]! +
        0.3166 * (b[at + 6]! + b[at + 8]!) -
        0.09 * (b[at + 4]! + b[at + 10]!) +
        0.0288 * (b[at + 2]! + b[at + 12]!) -
        0.0054 * (b[at]! + b[at + 14]!);
      expected.push(Math.min(32767, Math.max(-32768, Math.round(sum))));
    }
    const decimate = createHalfbandDecimator();
    const got: number[] = [];
    for (let at = 0, size = 20_000; at < input.length; at += size, size = (size * 7 + 5) % 3001) got.push(...decimate(input.subarray(at, at + size)));
    expect(got).toEqual(expected);
    expect(got.some((v) => v === 32767) && got.some((v) => v === -32768)).toBe(true);
    expect(got.slice(-100).filter((v) => v === 3 || v === -3).length).toBeGreaterThan(90);
  });
});
