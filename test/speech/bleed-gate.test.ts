/**
 * The mixdown's bleed gate (`process --bleed-gate`, MIXDOWN_BLEED_GATE): a speakerphone with no echo
 * cancellation hears Alice at −12 dB, 300 ms late, so the plain mix repeats each of her sentences.
 * With the gate, the speakerphone's track is lowered in its bleed-only stretches: the echo heard
 * alone at the end of each sentence (its last 300 ms) falls by ≥ 20 dB in the mix, the speakerphone
 * user's own speech is untouched, and the track files are the same bytes either way.
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.ts';
import { sharedEngine } from '../helpers/shared-engine.ts';
import { processFiles, type ProcessFilesResult } from '../../src/pipeline/process-files.ts';
import { ALICE, DAN } from '../fixtures/meeting.ts';
import { writeBleedMeeting } from '../helpers/bleed-meeting.ts';
import { decodeToPcm } from '../helpers/decode.ts';
import type { SpeechTrack, SpeechTrackSpec } from '../helpers/speech-meeting.ts';

const SPECS = {
  alice: {
    participantId: ALICE,
    startSec: 0.3,
    endSec: 20,
    noiseDb: -70,
    utterances: [
      { clip: 'm1.ogg', atSec: 1 },
      { clip: 'm3.ogg', atSec: 7 },
    ],
  },
  dan: { participantId: DAN, startSec: 0.5, endSec: 20, noiseDb: -70, utterances: [{ clip: 'f1.ogg', atSec: 14 }] },
} satisfies Record<string, SpeechTrackSpec>;

let engine: Engine;
let dir: string;
let tracks: Record<string, SpeechTrack>;
const runs: Record<'plain' | 'gated', ProcessFilesResult> = {} as never;

beforeAll(async () => {
  engine = await sharedEngine();
  dir = await mkdtemp(join(tmpdir(), 'bleed-gate-'));
  tracks = await writeBleedMeeting(engine, SPECS, [{ from: 'alice', to: 'dan', levelDb: -12, lagMs: 300 }], dir);
  const inputs = Object.values(tracks).map((t) => t.path);
  runs.plain = await processFiles(inputs, { engine, outDir: join(dir, 'plain'), trackFormat: 'wav' });
  runs.gated = await processFiles(inputs, { engine, outDir: join(dir, 'gated'), trackFormat: 'wav', mixdown: { bleedGate: true } });
}, 240_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Mean level (dB) of the mix over [fromMs, toMs). */
const levelDb = (samples: Int16Array, rateHz: number, fromMs: number, toMs: number) => {
  let sum = 0;
  const a = Math.round((fromMs * rateHz) / 1000);
  const b = Math.round((toMs * rateHz) / 1000);
  for (let i = a; i < b; i++) sum += samples[i]! * samples[i]!;
  return 10 * Math.log10(sum / (b - a) / 32768 ** 2 + 1e-12);
};

describe('the bleed gate', () => {
  it('takes the echo out of the mix (≥ 20 dB), leaves the speakerphone user’s own voice and the track files alone', async () => {
    const [plain, gated] = await Promise.all([decodeToPcm(engine, runs.plain.mixdownPath, 16000), decodeToPcm(engine, runs.gated.mixdownPath, 16000)]);
    const rate = 16000;
    const alice = tracks.alice!.utterances;
    // The echo alone: after each of Alice's sentences, the 300 ms her echo still plays (less 50 ms at each edge).
    const tails = alice.map((u) => [u.endMs + 50, u.endMs + 250] as const);
    const speech = alice.map((u) => levelDb(plain.samples, rate, u.startMs, u.endMs));
    const echoPlain = tails.map(([a, b]) => levelDb(plain.samples, rate, a, b));
    const echoGated = tails.map(([a, b]) => levelDb(gated.samples, rate, a, b));
    const figures = { speech, echoPlain, echoGated };
    if (process.env.BLEED_SCORES) console.log('gate', JSON.stringify(figures));
    for (let i = 0; i < alice.length; i++) {
      expect(echoPlain[i]! - speech[i]!, JSON.stringify(figures)).toBeGreaterThan(-25);
      expect(echoPlain[i]! - echoGated[i]!, JSON.stringify(figures)).toBeGreaterThanOrEqual(20);
      // Alice herself is not gated.
      expect(Math.abs(levelDb(gated.samples, rate, alice[i]!.startMs, alice[i]!.endMs) - speech[i]!)).toBeLessThan(1);
    }
    const dan = tracks.dan!.utterances[0]!;
    expect(Math.abs(levelDb(gated.samples, rate, dan.startMs, dan.endMs) - levelDb(plain.samples, rate, dan.startMs, dan.endMs))).toBeLessThan(1);
    for (const track of runs.plain.timeline.tracks) {
      expect(Buffer.compare(await readFile(join(dir, 'plain', track.output!)), await readFile(join(dir, 'gated', track.output!)))).toBe(0);
    }
  });
});
