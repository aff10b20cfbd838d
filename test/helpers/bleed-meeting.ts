/**
 * Meetings with bleed, made from the speech clips (speech-meeting.ts): participants with their own
 * utterances, and couplings — this mic hears that participant at a level and a lag, the lag
 * drifting along the meeting like a speakerphone's jitter buffer. The truth of each track is its
 * owner's utterances alone.
 */
import type { Engine } from '../../src/engine/engine.ts';
import { writeSpeechTrack, type SpeechTrack, type SpeechTrackSpec, type Utterance } from './speech-meeting.ts';

/**
 * `to` hears `from`'s utterances `levelDb` under their level, `lagMs` (+ `driftMsPerMin` × minutes)
 * later; from `turnSec` on the drift runs the other way (a jitter buffer that grows, then shrinks).
 */
export type Coupling = { from: string; to: string; levelDb: number; lagMs: number; driftMsPerMin?: number; turnSec?: number };

/** The lag a coupling has at meeting time `atSec`. */
export const couplingLagMs = (c: Coupling, atSec: number) => {
  const turn = c.turnSec ?? Number.POSITIVE_INFINITY;
  const driftSec = Math.min(atSec, turn) - Math.max(0, atSec - turn);
  return c.lagMs + ((c.driftMsPerMin ?? 0) * driftSec) / 60;
};

export const withBleed = (specs: Record<string, SpeechTrackSpec>, couplings: readonly Coupling[]): Record<string, SpeechTrackSpec> =>
  Object.fromEntries(
    Object.entries(specs).map(([key, spec]) => {
      const bleed: Utterance[] = couplings
        .filter((c) => c.to === key)
        .flatMap((c) =>
          specs[c.from]!.utterances.map((u) => ({
            clip: u.clip,
            atSec: u.atSec + couplingLagMs(c, u.atSec) / 1000,
            gainDb: (u.gainDb ?? -6) + c.levelDb,
          })),
        )
        .filter((u) => u.atSec >= spec.startSec && u.atSec < spec.endSec);
      return [key, { ...spec, bleed }];
    }),
  );

export const writeBleedMeeting = async (engine: Engine, specs: Record<string, SpeechTrackSpec>, couplings: readonly Coupling[], dir: string) => {
  const all = withBleed(specs, couplings);
  const entries = await Promise.all(Object.entries(all).map(async ([key, spec]) => [key, await writeSpeechTrack(engine, spec, dir)] as const));
  return Object.fromEntries(entries) as Record<string, SpeechTrack>;
};
