/**
 * The demo meeting: four Daily participants and a camera track, with a late joiner, mutes, lost
 * packets and DTX, scaled to any length (the demo command and `npm run bench` use it). They speak
 * in turn from a one-minute pattern of speech clips, looped, with two moments of crosstalk per
 * minute (Ben over Ann at 21 s, Dee over Cy at 39 s).
 */
import { dailyName, type SyntheticTrack } from './synthetic-meeting.ts';

const ids: string[] = [
  'a11ce000-0000-4000-8000-000000000001',
  'b0b00000-0000-4000-8000-000000000002',
  'ca201000-0000-4000-8000-000000000003',
  'da900000-0000-4000-8000-000000000004',
];

/** A one-minute speech pattern: `[clip, second]` pairs. */
const talk = (...utterances: Array<[string, number]>) => ({ periodSec: 60, utterances: utterances.map(([clip, atSec]) => ({ clip, atSec })) });

/** A meeting of `minutes`: offsets, mutes, lost packets and DTX scaled to its length. */
export const demoMeeting = (minutes: number): SyntheticTrack[] => {
  const end = minutes * 60;
  const at = (fraction: number) => Math.round(end * fraction * 100) / 100;
  return [
    {
      name: dailyName(ids[0]!, 'cam-audio', 0),
      startSec: 0,
      endSec: end,
      mutesSec: [[at(0.2), at(0.3)]],
      beepsSec: [at(0.1), at(0.9)],
      toneHz: 220,
      speech: talk(['m1.ogg', 1], ['m2.ogg', 21]),
    },
    {
      name: dailyName(ids[1]!, 'cam-audio', 8.13),
      startSec: 8.13,
      endSec: end,
      mutesSec: [[at(0.5), at(0.55)]],
      lostPacketsSec: [at(0.4), at(0.41), at(0.6)],
      beepsSec: [at(0.35)],
      toneHz: 330,
      speech: talk(['f2.ogg', 9], ['f1.ogg', 20.5], ['f3.ogg', 50]),
    },
    {
      name: dailyName(ids[2]!, 'cam-audio', 3.5),
      startSec: 3.5,
      endSec: at(0.7),
      dtxSec: [[at(0.3), at(0.4)]],
      beepsSec: [at(0.45)],
      toneHz: 440,
      speech: talk(['jfk.ogg', 30]),
    },
    {
      name: dailyName(ids[3]!, 'cam-audio', 20),
      startSec: 20,
      endSec: at(0.95),
      beepsSec: [at(0.8)],
      toneHz: 550,
      speech: talk(['m3.ogg', 39], ['f3.ogg', 56]),
    },
    { name: dailyName(ids[3]!, 'cam-video', 20), kind: 'video-webm', startSec: 0, endSec: 2 },
  ];
};
