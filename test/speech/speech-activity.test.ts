/**
 * Who speaks when, on real speech through the whole pipeline: a meeting of committed speech clips
 * with a noise floor, keyboard typing, a mute, a reconnect and two people talking at once, made
 * by the wasm engine and processed like any Daily recording. Scored as the issue judges: 10 ms
 * frames with 250 ms collars, every utterance's start, nothing inside a mute, crosstalk.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.ts';
import { sharedEngine } from '../helpers/shared-engine.ts';
import { processFiles } from '../../src/pipeline/process-files.ts';
import type { SpeechRegion } from '../../src/speech/speech-regions.ts';
import { findCrosstalk } from '../../src/timeline/speech-timeline.ts';
import type { Timeline, TimelineTrack } from '../../src/timeline/types.ts';
import { warningCode } from '../../src/timeline/warnings.ts';
import { ALICE, BOB } from '../fixtures/meeting.ts';
import { scoreSpeech, startErrorsMs, writeSpeechTrack, type SpeechTrack, type SpeechTrackSpec } from '../helpers/speech-meeting.ts';

const SPECS = {
  /** A noisy mic with loud typing between utterances (once until 100 ms before she speaks), and a mute 28–32 s. */
  alice: {
    participantId: ALICE,
    startSec: 0.5,
    endSec: 40,
    noiseDb: -48,
    typingSec: [
      [13, 20.5],
      [32.5, 34.9],
    ],
    mutesSec: [[28, 32]],
    utterances: [
      { clip: 'm1.ogg', atSec: 2 },
      { clip: 'm2.ogg', atSec: 9 },
      { clip: 'm3.ogg', atSec: 23.5 },
      { clip: 'm1.ogg', atSec: 35 },
    ],
  },
  /** Talks over Alice twice, then reconnects (a second file) and talks over her again. */
  bob: {
    participantId: BOB,
    startSec: 1.2,
    endSec: 26,
    noiseDb: -56,
    utterances: [
      { clip: 'f1.ogg', atSec: 4.5 },
      { clip: 'f2.ogg', atSec: 10.5 },
      { clip: 'f3.ogg', atSec: 20 },
    ],
  },
  bobAgain: { participantId: BOB, startSec: 33, endSec: 40, noiseDb: -56, utterances: [{ clip: 'f2.ogg', atSec: 34 }] },
} satisfies Record<string, SpeechTrackSpec>;

let engine: Engine;
let dir: string;
let tracks: Record<keyof typeof SPECS, SpeechTrack>;
let timeline: Timeline;
const trackOf = (t: SpeechTrack) => timeline.tracks.find((x) => t.path.endsWith(x.file))!;

beforeAll(async () => {
  engine = await sharedEngine();
  dir = await mkdtemp(join(tmpdir(), 'speech-'));
  const seed = Number(process.env.SPEECH_SEED ?? 1);
  const entries = await Promise.all(Object.entries(SPECS).map(async ([k, spec]) => [k, await writeSpeechTrack(engine, { ...spec, seed }, dir)] as const));
  tracks = Object.fromEntries(entries) as typeof tracks;
  ({ timeline } = await processFiles(
    Object.values(tracks).map((t) => t.path),
    { engine, outDir: join(dir, 'out'), trackFormat: 'wav' },
  ));
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('speech activity per track', () => {
  it.each(Object.keys(SPECS) as Array<keyof typeof SPECS>)('finds %s’s speech: recall ≥ 0.95, precision ≥ 0.90 at 10 ms frames', (key) => {
    const track = trackOf(tracks[key]);
    const score = scoreSpeech(tracks[key].truth, track.speech!, timeline.durationMs);
    expect(score.recall, JSON.stringify(track.speech)).toBeGreaterThanOrEqual(0.95);
    expect(score.precision, JSON.stringify(track.speech)).toBeGreaterThanOrEqual(0.9);
    expect(track.talkMs).toBe(track.speech!.reduce((sum, r) => sum + r.endMs - r.startMs, 0));
  });

  it('starts every utterance within 150 ms of its truth', () => {
    for (const t of Object.values(tracks)) {
      for (const error of startErrorsMs(t.utterances, trackOf(t).speech!)) expect(Math.abs(error)).toBeLessThanOrEqual(150);
    }
  });

  it('calls no typing and no noise floor speech: nothing found outside the utterances', () => {
    const alice = trackOf(tracks.alice);
    const outside = (r: SpeechRegion) => !tracks.alice.utterances.some((u) => r.startMs < u.endMs + 250 && u.startMs - 250 < r.endMs);
    expect(alice.speech!.filter(outside)).toEqual([]);
    // Typing 13–20.5 s sits between m2 (ends ~12 s) and m3 (23.5 s): no region may start in it.
    expect(alice.speech!.filter((r) => r.startMs > 12_500 && r.startMs < 23_000)).toEqual([]);
  });

  it('finds no speech inside a mute', () => {
    const alice = trackOf(tracks.alice);
    const mute = alice.gaps.find((g) => g.startMs >= 27_000 && g.endMs <= 33_000)!;
    expect(mute).toBeDefined();
    expect(alice.speech!.filter((r) => r.startMs < mute.endMs && mute.startMs < r.endMs)).toEqual([]);
  });

  it('measures crosstalk between participants, a reconnect counted as the same person, within 25% of the truth', () => {
    const truthTracks = Object.values(SPECS).map((spec, i) => ({
      participantId: spec.participantId,
      file: String(i),
      speech: Object.values(tracks)[i]!.truth,
    })) as unknown as TimelineTrack[];
    const truth = findCrosstalk(truthTracks).reduce((sum, c) => sum + c.endMs - c.startMs, 0);
    expect(truth).toBeGreaterThan(2000);
    expect(Math.abs(timeline.crosstalkMs! - truth) / truth).toBeLessThanOrEqual(0.25);
    expect(timeline.crosstalk!.every((c) => c.participantIds.join() === [ALICE, BOB].sort().join())).toBe(true);
    // The reconnect file's talk over Alice (34–37 s) is crosstalk too.
    expect(timeline.crosstalk!.some((c) => c.startMs >= 34_000 && c.startMs < 38_000)).toBe(true);
  });

  it('finds no bleed in a meeting of clean tracks: the cross-track analysis leaves every track’s speech as its own frames give it', () => {
    expect(timeline.bleedPairs).toEqual([]);
    for (const t of timeline.tracks) expect([t.file, t.bleed, t.bleedMs]).toEqual([t.file, [], 0]);
    expect(timeline.warnings.filter((w) => warningCode(w) === 'BLEED_LAG')).toEqual([]);
  });

  it('keeps presence apart from speech: mics open together is far more than crosstalk', () => {
    expect(timeline.presenceOverlapMs).toBeGreaterThan(timeline.crosstalkMs! * 3);
  });
});
