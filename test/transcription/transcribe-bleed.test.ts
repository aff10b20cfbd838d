/**
 * Transcription of a meeting with bleed, against the stand-in transcriber (one word per burst of
 * sound it is sent): two colleagues in one room (−16 dB, 6 ms), a speakerphone that echoes them
 * (−20 dB, 150 ms) and whose user once talks over the echo. One word per utterance, each under its
 * owner's name at its owner's onset; no word from bleed; bleed-only stretches never sent.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.ts';
import { sharedEngine } from '../helpers/shared-engine.ts';
import { processFiles } from '../../src/pipeline/process-files.ts';
import { speakerOfTimeline } from '../../src/recordings/speaker-names.ts';
import type { Timeline } from '../../src/timeline/types.ts';
import { planChunks } from '../../src/transcription/chunk-plan.ts';
import type { Transcript } from '../../src/transcription/transcript.ts';
import { transcribeTimeline, type TranscriptionStats } from '../../src/transcription/transcribe-timeline.ts';
import { createTranscriber } from '../../src/transcription/transcriber.ts';
import { ALICE, BOB, DAN } from '../fixtures/meeting.ts';
import { writeBleedMeeting, type Coupling } from '../helpers/bleed-meeting.ts';
import type { SpeechTrack, SpeechTrackSpec } from '../helpers/speech-meeting.ts';
import { startTranscriberStandIn, type StandIn } from '../helpers/transcriber-server.ts';

const SPECS = {
  alice: {
    participantId: ALICE,
    startSec: 0.3,
    endSec: 30,
    noiseDb: -60,
    utterances: [
      { clip: 'm1.ogg', atSec: 1 },
      { clip: 'm3.ogg', atSec: 16 },
    ],
  },
  bob: {
    participantId: BOB,
    startSec: 0.5,
    endSec: 30,
    noiseDb: -58,
    utterances: [
      { clip: 'f1.ogg', atSec: 6 },
      { clip: 'f2.ogg', atSec: 23 },
    ],
  },
  /** Talks over Alice's echo at 16.8 s. */
  dan: {
    participantId: DAN,
    startSec: 0.8,
    endSec: 30,
    noiseDb: -52,
    utterances: [
      { clip: 'm2.ogg', atSec: 10 },
      { clip: 'f3.ogg', atSec: 16.8 },
    ],
  },
} satisfies Record<string, SpeechTrackSpec>;

const COUPLINGS: Coupling[] = [
  { from: 'alice', to: 'bob', levelDb: -16, lagMs: 6 },
  { from: 'bob', to: 'alice', levelDb: -16, lagMs: 6 },
  { from: 'alice', to: 'dan', levelDb: -20, lagMs: 150 },
  { from: 'bob', to: 'dan', levelDb: -20, lagMs: 150 },
];

let engine: Engine;
let dir: string;
let server: StandIn;
let tracks: Record<string, SpeechTrack>;
let timeline: Timeline;
let transcript: Transcript;
let stats: TranscriptionStats;

beforeAll(async () => {
  engine = await sharedEngine();
  server = await startTranscriberStandIn();
  dir = await mkdtemp(join(tmpdir(), 'transcribe-bleed-'));
  tracks = await writeBleedMeeting(engine, SPECS, COUPLINGS, dir);
  const out = join(dir, 'out');
  ({ timeline } = await processFiles(
    Object.values(tracks).map((t) => t.path),
    { engine, outDir: out, trackFormat: 'wav' },
  ));
  ({ transcript, stats } = await transcribeTimeline({
    engine,
    transcriber: createTranscriber({ apiUrl: server.url }),
    timeline,
    renderedPath: (track) => join(out, track.output!),
    speakerOf: speakerOfTimeline(timeline),
    workDir: dir,
  }));
}, 240_000);

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('transcription with bleed', () => {
  it('returns one word per utterance, under its owner, at its owner’s onset', () => {
    const truth = Object.entries(SPECS)
      .flatMap(([key, spec]) => tracks[key]!.utterances.map((u) => ({ startMs: u.startMs, participantId: spec.participantId })))
      .sort((a, b) => a.startMs - b.startMs);
    expect(
      transcript.words.map((w) => [w.participantId, w.startMs]),
      JSON.stringify(timeline.tracks.map((t) => ({ speech: t.speech, bleed: t.bleed }))),
    ).toHaveLength(truth.length);
    transcript.words.forEach((w, i) => {
      expect(w.participantId).toBe(truth[i]!.participantId);
      expect(Math.abs(w.startMs - truth[i]!.startMs)).toBeLessThanOrEqual(300);
    });
    expect(transcript.droppedBleedWords).toBe(stats.droppedBleedWords);
  });

  it('never sends a bleed-only stretch', () => {
    const sent = server.requests.reduce((sum, r) => sum + r.audioMs, 0);
    const bleedMs = timeline.tracks.reduce((sum, t) => sum + t.bleedMs!, 0);
    expect(bleedMs).toBeGreaterThan(5000);
    // Everything sent is owner speech, its padding and the separators: less than talk + pads.
    const talkMs = timeline.tracks.reduce((sum, t) => sum + t.talkMs!, 0);
    expect(sent).toBeLessThan(talkMs + server.requests.length * 1000 + 6 * 2 * 250 + 1);
  });
});

describe('chunk planning around bleed', () => {
  it('cuts bleed-only stretches out of the padded, joined pieces', () => {
    const chunks = planChunks(
      [
        { startMs: 1000, endMs: 2000 },
        { startMs: 2600, endMs: 4000 },
      ],
      { offsetMs: 0, endMs: 10_000 },
      {},
      [{ startMs: 2100, endMs: 2600 }],
    );
    expect(chunks.flatMap((c) => c.pieces.map((p) => [p.meetingStartMs, p.meetingEndMs]))).toEqual([
      [750, 2100],
      [2600, 4250],
    ]);
  });
});
