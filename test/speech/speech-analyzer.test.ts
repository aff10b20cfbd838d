/**
 * The analyzer and the region rules on their own: what the worker and the browser feed it (PCM in
 * arbitrary chunks) must not change what it finds, digital silence is never speech, and the rules
 * that keep clicks out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../../src/engine/node-engine.ts';
import { loadFvad } from '../../src/speech/fvad.ts';
import { CANDIDATE, createSpeechAnalyzer, VOICED } from '../../src/speech/speech-analyzer.ts';
import { speechRegions } from '../../src/speech/speech-regions.ts';
import { decodeToPcm } from '../helpers/decode.ts';
import { SPEECH_FIXTURES } from '../helpers/speech-meeting.ts';

let engine: NodeEngine;
let pcm: Uint8Array;

beforeAll(async () => {
  engine = await createNodeEngine({ workers: 1 });
  const decoded = await decodeToPcm(engine, `${SPEECH_FIXTURES}jfk.ogg`, 8000);
  pcm = new Uint8Array(decoded.samples.buffer);
});
afterAll(() => engine?.close());

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
