/**
 * The issue's scoring of a meeting with bleed: per track, its owner's speech against the truth
 * (recall ≥ 0.95, precision ≥ 0.90 at 10 ms frames with 250 ms collars, every utterance's start
 * within 150 ms), and the true crosstalk from the owners' truth alone.
 */
import { expect } from 'vitest';
import { findCrosstalk } from '../../src/timeline/speech-timeline.ts';
import type { Timeline, TimelineTrack } from '../../src/timeline/types.ts';
import { scoreSpeech, startErrorsMs, type SpeechTrack, type SpeechTrackSpec } from './speech-meeting.ts';

export const trackOf = (timeline: Timeline, track: SpeechTrack) => timeline.tracks.find((t) => track.path.endsWith(t.file))!;

export const expectOwnersOnly = (timeline: Timeline, track: SpeechTrack, label: string) => {
  const found = trackOf(timeline, track);
  const score = scoreSpeech(track.truth, found.speech!, timeline.durationMs);
  const starts = startErrorsMs(track.utterances, found.speech!);
  if (process.env.BLEED_SCORES) console.log(label, JSON.stringify({ ...score, starts, bleedMs: found.bleedMs }));
  const detail = JSON.stringify({ speech: found.speech, bleed: found.bleed });
  expect(score.recall, detail).toBeGreaterThanOrEqual(0.95);
  expect(score.precision, detail).toBeGreaterThanOrEqual(0.9);
  for (const error of starts) expect(Math.abs(error), detail).toBeLessThanOrEqual(150);
  expect(found.talkMs).toBe(found.speech!.reduce((sum, r) => sum + r.endMs - r.startMs, 0));
};

export const truthCrosstalkMs = (specs: Record<string, SpeechTrackSpec>, tracks: Record<string, SpeechTrack>) =>
  findCrosstalk(
    Object.entries(specs).map(([key, spec]) => ({ participantId: spec.participantId, file: key, speech: tracks[key]!.truth }) as unknown as TimelineTrack),
  ).reduce((sum, c) => sum + c.endMs - c.startMs, 0);

/** Crosstalk found within 25 % of the truth's (the bound), the truth long enough to measure. */
export const expectCrosstalkNearTruth = (timeline: Timeline, specs: Record<string, SpeechTrackSpec>, tracks: Record<string, SpeechTrack>) => {
  const truth = truthCrosstalkMs(specs, tracks);
  if (process.env.BLEED_SCORES) console.log('crosstalk', JSON.stringify({ found: timeline.crosstalkMs, truth }));
  expect(truth).toBeGreaterThan(1000);
  expect(Math.abs(timeline.crosstalkMs! - truth) / truth, `${timeline.crosstalkMs} vs ${truth}`).toBeLessThanOrEqual(0.25);
};
