/**
 * An echo path whose lag grows, then shrinks (a speakerphone's jitter buffer: 200 → 250 → 200 ms,
 * 100 ms per minute each way, −15 dB), and a pair in one room placed 48 ms apart (4 ms of air:
 * 52 ms one way, −44 ms the other), so the audio warns `BLEED_LAG`. Opus 32 kbps through
 * `processFiles`, scored as the issue judges.
 */
import { describe, expect, it } from 'vitest';
import type { BleedLagWarning } from '../../src/timeline/types.ts';
import { warningCode } from '../../src/timeline/warnings.ts';
import { ALICE, BOB, CAROL, DAN, ERIN } from '../fixtures/meeting.ts';
import type { Coupling } from '../helpers/bleed-meeting.ts';
import { trackOf } from '../helpers/bleed-scoring.ts';
import { ownersOnlyAndCrosstalk, processedBleedMeeting } from '../helpers/bleed-suite.ts';
import type { SpeechTrackSpec } from '../helpers/speech-meeting.ts';

const track = (participantId: string, noiseDb: number, utterances: Array<[clip: string, atSec: number]>): SpeechTrackSpec => ({
  participantId,
  startSec: 0.4,
  endSec: 60,
  noiseDb,
  utterances: utterances.map(([clip, atSec]) => ({ clip, atSec })),
});

const SPECS = {
  a: track(ALICE, -62, [
    ['m1.ogg', 3],
    ['m3.ogg', 20],
    ['m2.ogg', 31],
    ['m1.ogg', 50],
  ]),
  b: track(BOB, -60, [
    ['f1.ogg', 9],
    ['f2.ogg', 26],
    ['f3.ogg', 40],
    ['f1.ogg', 56],
  ]),
  /** The speakerphone; talks over b's echo at 40.9 s. */
  s: track(CAROL, -52, [
    ['m2.ogg', 14],
    ['m3.ogg', 40.9],
  ]),
  /** In one room with q; talks over b at 27.5 s. */
  p: track(DAN, -60, [
    ['f2.ogg', 5.5],
    ['f3.ogg', 27.5],
  ]),
  q: track(ERIN, -58, [
    ['m3.ogg', 16.5],
    ['m2.ogg', 45],
  ]),
} satisfies Record<string, SpeechTrackSpec>;

const COUPLINGS: Coupling[] = [
  ...['a', 'b', 'p', 'q'].map((from) => ({ from, to: 's', levelDb: -15, lagMs: 200, driftMsPerMin: 100, turnSec: 30 })),
  { from: 'p', to: 'q', levelDb: -14, lagMs: 4 + 48 },
  { from: 'q', to: 'p', levelDb: -14, lagMs: 4 - 48 },
];

const meeting = processedBleedMeeting('bleed-drift', SPECS, COUPLINGS, 600_000);

describe('an echo drifting both ways, a pair placed 48 ms apart', () => {
  ownersOnlyAndCrosstalk(meeting, SPECS);

  it('follows the echo up and back down', () => {
    const s = trackOf(meeting.timeline, meeting.tracks.s!);
    const stretches = s.bleed!.map((b) => ({ atSec: b.startMs / 1000, lagMs: b.lagMs }));
    if (process.env.BLEED_SCORES) console.log('echo', JSON.stringify(stretches));
    const lagNear = (fromSec: number, toSec: number) => stretches.filter((b) => b.atSec >= fromSec && b.atSec < toSec).map((b) => b.lagMs);
    for (const lag of [...lagNear(0, 10), ...lagNear(50, 60)]) expect(lag, JSON.stringify(stretches)).toBeLessThanOrEqual(225);
    for (const lag of lagNear(25, 35)) expect(lag, JSON.stringify(stretches)).toBeGreaterThanOrEqual(230);
    expect(lagNear(25, 35).length).toBeGreaterThan(0);
    for (const b of s.bleed!) expect(b.lagMs).toBeGreaterThanOrEqual(180);
  });

  it('warns BLEED_LAG for the pair, from the track placed early', () => {
    const p = trackOf(meeting.timeline, meeting.tracks.p!);
    const q = trackOf(meeting.timeline, meeting.tracks.q!);
    const lag = meeting.timeline.warnings.filter((w): w is BleedLagWarning => warningCode(w) === 'BLEED_LAG');
    expect(
      lag.map((w) => [w.fromFile, w.toFile]),
      JSON.stringify(meeting.timeline.bleedPairs),
    ).toEqual([[p.file, q.file]]);
    expect(Math.abs(lag[0]!.placementMs - 48)).toBeLessThanOrEqual(8);
    expect(Math.abs(lag[0]!.lagMs - 52)).toBeLessThanOrEqual(8);
  });
});
