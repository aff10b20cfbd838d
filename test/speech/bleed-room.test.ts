/**
 * Whose voice is it, on the meeting: two colleagues in one room on their own laptops (each
 * mic hears the other at −16 dB, 6 ms later), a speakerphone without echo cancellation (it hears
 * every remote voice at −20 dB, 150 ms later, drifting 50 ms per minute), a clean participant; two
 * remote participants really talk at once, the speakerphone user talks over the echo. Opus 32 kbps
 * Daily raw tracks through `processFiles`, scored as the issue judges.
 */
import { describe, expect, it } from 'vitest';
import { warningCode } from '../../src/timeline/warnings.ts';
import { ALICE, BOB, CAROL, DAN } from '../fixtures/meeting.ts';
import type { Coupling } from '../helpers/bleed-meeting.ts';
import { ownersOnlyAndCrosstalk, processedBleedMeeting } from '../helpers/bleed-suite.ts';
import type { SpeechTrackSpec } from '../helpers/speech-meeting.ts';

const SPECS = {
  /** In one room with Bob. */
  alice: {
    participantId: ALICE,
    startSec: 0.3,
    endSec: 60,
    noiseDb: -60,
    utterances: [
      { clip: 'm1.ogg', atSec: 2 },
      { clip: 'm3.ogg', atSec: 20 },
      { clip: 'm2.ogg', atSec: 41 },
    ],
  },
  bob: {
    participantId: BOB,
    startSec: 0.5,
    endSec: 60,
    noiseDb: -58,
    utterances: [
      { clip: 'f1.ogg', atSec: 7 },
      { clip: 'f2.ogg', atSec: 27 },
      { clip: 'f3.ogg', atSec: 50 },
    ],
  },
  /** Remote and clean; talks over Alice once (real crosstalk). */
  carol: {
    participantId: CAROL,
    startSec: 1,
    endSec: 60,
    noiseDb: -62,
    utterances: [
      { clip: 'f3.ogg', atSec: 12 },
      { clip: 'f2.ogg', atSec: 21 },
      { clip: 'f1.ogg', atSec: 35 },
    ],
  },
  /** On a speakerphone with no echo cancellation; talks over Bob's echo once. */
  dan: {
    participantId: DAN,
    startSec: 0.8,
    endSec: 60,
    noiseDb: -52,
    utterances: [
      { clip: 'm2.ogg', atSec: 15.5 },
      { clip: 'm1.ogg', atSec: 28.2 },
      { clip: 'm3.ogg', atSec: 45 },
    ],
  },
} satisfies Record<string, SpeechTrackSpec>;

const echo = (from: string): Coupling => ({ from, to: 'dan', levelDb: -20, lagMs: 150, driftMsPerMin: 50 });
const COUPLINGS: Coupling[] = [
  { from: 'alice', to: 'bob', levelDb: -16, lagMs: 6 },
  { from: 'bob', to: 'alice', levelDb: -16, lagMs: 6 },
  echo('alice'),
  echo('bob'),
  echo('carol'),
];

const meeting = processedBleedMeeting('bleed-room', SPECS, COUPLINGS, 240_000);

describe('bleed in a room and on a speakerphone', () => {
  ownersOnlyAndCrosstalk(meeting, SPECS);

  it('names whose voice each bleed stretch is, with the lag and level of its path', () => {
    const byFile = (key: string) => meeting.timeline.tracks.find((t) => meeting.tracks[key]!.path.endsWith(t.file))!;
    const dan = byFile('dan');
    const fromCarol = dan.bleed!.filter((b) => b.fromParticipantId === CAROL);
    expect(fromCarol.length).toBeGreaterThan(0);
    for (const b of fromCarol) {
      expect(b.lagMs).toBeGreaterThanOrEqual(130);
      expect(b.lagMs).toBeLessThanOrEqual(230);
      expect(b.levelDb).toBeLessThan(-12);
      expect(b.levelDb).toBeGreaterThan(-28);
    }
    expect(dan.bleedMs).toBe(dan.bleed!.reduce((sum, b) => sum + b.endMs - b.startMs, 0));
    const alice = byFile('alice');
    expect(alice.bleed!.every((b) => b.fromParticipantId === BOB && Math.abs(b.lagMs) <= 20)).toBe(true);
    expect(alice.bleedMs).toBeGreaterThan(4000);
    // Carol hears nobody.
    expect(byFile('carol').bleed).toEqual([]);
    const echoPair = meeting.timeline.bleedPairs!.find((p) => p.fromParticipantId === CAROL && p.toParticipantId === DAN)!;
    expect(echoPair.minLagMs).toBeGreaterThanOrEqual(130);
    expect(echoPair.maxLagMs).toBeLessThanOrEqual(230);
    expect(echoPair.maxLagMs - echoPair.minLagMs).toBeGreaterThanOrEqual(15);
    expect(meeting.timeline.bleedPairs!.some((p) => p.fromParticipantId === ALICE && p.toParticipantId === BOB)).toBe(true);
    expect(meeting.timeline.bleedPairs!.some((p) => p.toParticipantId === CAROL)).toBe(false);
    // Placement is right: no BLEED_LAG.
    expect(meeting.timeline.warnings.filter((w) => warningCode(w) === 'BLEED_LAG')).toEqual([]);
  });
});
