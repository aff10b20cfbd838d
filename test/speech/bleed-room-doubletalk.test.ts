/**
 * Two colleagues in one room who really talk at once (each mic hears the other at −12 dB, 5 ms
 * later): the double talk is crosstalk, on both tracks; the bleed around it is not. With a third,
 * remote participant echoed by a speakerphone (−18 dB, 250 ms) who also talks over the pair.
 */
import { describe } from 'vitest';
import { ALICE, BOB, DAN } from '../fixtures/meeting.ts';
import type { Coupling } from '../helpers/bleed-meeting.ts';
import { ownersOnlyAndCrosstalk, processedBleedMeeting } from '../helpers/bleed-suite.ts';
import type { SpeechTrackSpec } from '../helpers/speech-meeting.ts';

const SPECS = {
  a: {
    participantId: ALICE,
    startSec: 0.3,
    endSec: 40,
    noiseDb: -60,
    utterances: [
      { clip: 'm1.ogg', atSec: 2 },
      { clip: 'm2.ogg', atSec: 12 },
      { clip: 'm3.ogg', atSec: 30 },
    ],
  },
  b: {
    participantId: BOB,
    startSec: 0.5,
    endSec: 40,
    noiseDb: -58,
    utterances: [
      { clip: 'f1.ogg', atSec: 7 },
      { clip: 'f2.ogg', atSec: 12.6 },
      { clip: 'f3.ogg', atSec: 22 },
    ],
  },
  s: {
    participantId: DAN,
    startSec: 0.8,
    endSec: 40,
    noiseDb: -54,
    utterances: [
      { clip: 'f3.ogg', atSec: 17 },
      { clip: 'm1.ogg', atSec: 30.9 },
    ],
  },
} satisfies Record<string, SpeechTrackSpec>;

const COUPLINGS: Coupling[] = [
  { from: 'a', to: 'b', levelDb: -12, lagMs: 5 },
  { from: 'b', to: 'a', levelDb: -12, lagMs: 5 },
  { from: 'a', to: 's', levelDb: -18, lagMs: 250 },
  { from: 'b', to: 's', levelDb: -18, lagMs: 250 },
];

const meeting = processedBleedMeeting('bleed-doubletalk', SPECS, COUPLINGS, 600_000);

describe('double talk in one room', () => {
  ownersOnlyAndCrosstalk(meeting, SPECS);
});
