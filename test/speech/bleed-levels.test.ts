/**
 * Bleed across its range of levels and lags: a pair in one room at −10 dB one way and −25 dB the
 * other, placed 45 ms apart (the audio's own check of the timeline: BLEED_LAG); a loud talker
 * next to a quiet one (−16 dB both ways: the loud one's copy is as loud as the quiet owner); a
 * speakerphone echo at −12 dB, 350 ms late and drifting 50 ms per minute, on a noisy mic whose
 * owner talks over the echo; a leaking headset at −35 dB, 90 ms; two remote participants who
 * really talk at once. Opus 24 kbps Daily raw tracks through `processFiles`.
 */
import { describe, expect, it } from 'vitest';
import type { BleedLagWarning } from '../../src/timeline/types.ts';
import { warningCode, warningText } from '../../src/timeline/warnings.ts';
import { ALICE, BOB, CAROL, DAN, ERIN, FRANK } from '../fixtures/meeting.ts';
import type { Coupling } from '../helpers/bleed-meeting.ts';
import { ownersOnlyAndCrosstalk, processedBleedMeeting } from '../helpers/bleed-suite.ts';
import { trackOf } from '../helpers/bleed-scoring.ts';
import type { SpeechTrackSpec } from '../helpers/speech-meeting.ts';

const track = (participantId: string, noiseDb: number, utterances: SpeechTrackSpec['utterances']): SpeechTrackSpec => ({
  participantId,
  startSec: 0.2,
  endSec: 60,
  noiseDb,
  bitrate: '24k',
  utterances,
});

const SPECS = {
  p: track(ALICE, -60, [
    { clip: 'm1.ogg', atSec: 2 },
    { clip: 'm2.ogg', atSec: 30 },
  ]),
  q: track(BOB, -58, [
    { clip: 'f1.ogg', atSec: 6 },
    { clip: 'f3.ogg', atSec: 44 },
  ]),
  /** Loud. */
  l: track(CAROL, -60, [
    { clip: 'm3.ogg', atSec: 10, gainDb: -1 },
    { clip: 'm1.ogg', atSec: 36, gainDb: -1 },
  ]),
  /** Quiet, next to the loud one. */
  w: track(DAN, -62, [
    { clip: 'f2.ogg', atSec: 14, gainDb: -18 },
    { clip: 'f1.ogg', atSec: 50, gainDb: -18 },
  ]),
  /** A noisy speakerphone. */
  e: track(ERIN, -45, [
    { clip: 'm2.ogg', atSec: 20 },
    { clip: 'm3.ogg', atSec: 31.5 },
  ]),
  /** A headset that leaks. */
  h: track(FRANK, -64, [
    { clip: 'f3.ogg', atSec: 24 },
    { clip: 'f3.ogg', atSec: 44.8 },
    { clip: 'f2.ogg', atSec: 54 },
  ]),
} satisfies Record<string, SpeechTrackSpec>;

const others = (key: string) => Object.keys(SPECS).filter((k) => k !== key);
const COUPLINGS: Coupling[] = [
  // p is placed 45 ms late against q: 2 ms of air becomes −43 ms one way and 47 ms the other.
  { from: 'p', to: 'q', levelDb: -10, lagMs: 2 - 45 },
  { from: 'q', to: 'p', levelDb: -25, lagMs: 2 + 45 },
  { from: 'l', to: 'w', levelDb: -16, lagMs: 10 },
  { from: 'w', to: 'l', levelDb: -16, lagMs: 10 },
  ...others('e').map((from) => ({ from, to: 'e', levelDb: -12, lagMs: 350, driftMsPerMin: 50 })),
  ...others('h').map((from) => ({ from, to: 'h', levelDb: -35, lagMs: 90 })),
];

const meeting = processedBleedMeeting('bleed-levels', SPECS, COUPLINGS, 600_000);

describe('bleed at −10 … −35 dB, 2 … 400 ms', () => {
  ownersOnlyAndCrosstalk(meeting, SPECS);

  it('follows the echo’s drift and warns of the pair placed 45 ms apart (BLEED_LAG)', () => {
    const e = trackOf(meeting.timeline, meeting.tracks.e!);
    const echo = meeting.timeline.bleedPairs!.filter((p) => p.toFile === e.file);
    expect(echo.length).toBeGreaterThanOrEqual(3);
    expect(Math.min(...echo.map((p) => p.minLagMs))).toBeGreaterThanOrEqual(330);
    expect(Math.max(...echo.map((p) => p.maxLagMs))).toBeLessThanOrEqual(420);
    expect(Math.max(...echo.map((p) => p.maxLagMs)) - Math.min(...echo.map((p) => p.minLagMs))).toBeGreaterThanOrEqual(20);
    const p = trackOf(meeting.timeline, meeting.tracks.p!);
    const q = trackOf(meeting.timeline, meeting.tracks.q!);
    // A top-level coded warning naming the pair as its bleedPairs entry, from the track placed early.
    const warnings = meeting.timeline.warnings.filter((w) => warningCode(w) === 'BLEED_LAG');
    expect(warnings, JSON.stringify(meeting.timeline.bleedPairs)).toEqual([
      {
        code: 'BLEED_LAG',
        message: expect.stringMatching(new RegExp(`^${q.file} and ${p.file} hear each other .* ${p.file} sits \\d+ ms late against ${q.file} `)),
        fromParticipantId: BOB,
        toParticipantId: ALICE,
        fromFile: q.file,
        toFile: p.file,
        lagMs: expect.any(Number),
        backLagMs: expect.any(Number),
        placementMs: expect.any(Number),
      },
    ]);
    const lag = warnings[0] as BleedLagWarning;
    expect(Math.abs(lag.lagMs - 47), JSON.stringify(lag)).toBeLessThanOrEqual(8);
    expect(Math.abs(lag.backLagMs + 43), JSON.stringify(lag)).toBeLessThanOrEqual(8);
    expect(Math.abs(lag.placementMs - 45), JSON.stringify(lag)).toBeLessThanOrEqual(8);
    expect(meeting.timeline.bleedPairs).toContainEqual(expect.objectContaining({ fromFile: q.file, toFile: p.file, lagMs: lag.lagMs }));
    const w = trackOf(meeting.timeline, meeting.tracks.w!);
    const l = trackOf(meeting.timeline, meeting.tracks.l!);
    expect(meeting.timeline.bleedPairs!.some((x) => x.fromFile === l.file && x.toFile === w.file)).toBe(true);
    // Room pairs never show lags a speakerphone would have.
    expect(meeting.timeline.warnings.filter((x) => warningText(x).includes(w.file))).toEqual([]);
  });
});
