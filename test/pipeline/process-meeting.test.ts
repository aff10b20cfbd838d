/**
 * The whole pipeline on the fixture meeting, with the real wasm engine: every number asserted
 * here comes from test/fixtures/meeting.ts (the truth the fixtures were made from).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Engine } from '../../src/engine/engine.ts';
import { sharedEngine } from '../helpers/shared-engine.ts';
import { processFiles, type ProcessFilesResult } from '../../src/pipeline/process-files.ts';
import type { Timeline, TimelineTrack } from '../../src/timeline/types.ts';
import { BEEP_AMPLITUDE, type SyntheticTrack } from '../../src/demo/synthetic-meeting.ts';
import { fixtureMeeting, type FixtureMeeting } from '../helpers/fixture-meeting.ts';
import { decodeToPcm } from '../helpers/decode.ts';
import { firstSoundMs, peakIn, type Pcm } from '../helpers/wav.ts';
import { DAN, TRACKS } from '../fixtures/meeting.ts';

let engine: Engine;
let meeting: FixtureMeeting;
let run: ProcessFilesResult;
let timeline: Timeline;
let outDir: string;

const BEEP_THRESHOLD = 16000; // a beep is 0.6 full scale (19660); every tone together stays under 0.35
const audioTracks = Object.values(TRACKS).filter((t) => !('kind' in t)) as SyntheticTrack[];

beforeAll(async () => {
  engine = await sharedEngine();
  meeting = await fixtureMeeting();
  outDir = join(meeting.dir, 'out');
  run = await processFiles([...Object.values(meeting.paths), meeting.truncated, meeting.garbage], { engine, outDir, trackFormat: 'wav' });
  timeline = JSON.parse(await readFile(join(outDir, 'timeline.json'), 'utf8')) as Timeline;
});

const trackOf = (t: SyntheticTrack): TimelineTrack => {
  const found = timeline.tracks.find((x) => x.file === t.name);
  if (!found) throw new Error(`${t.name} missing from the timeline`);
  return found;
};
const pcmCache = new Map<string, Promise<Pcm>>();
const renderedPcm = (t: SyntheticTrack) => {
  const path = join(outDir, trackOf(t).output!);
  if (!pcmCache.has(path)) pcmCache.set(path, decodeToPcm(engine, path));
  return pcmCache.get(path)!;
};
const beepErrorMs = (pcm: Pcm, beepSec: number) => {
  const at = firstSoundMs(pcm, BEEP_THRESHOLD, beepSec * 1000 - 400);
  return at === null ? Number.POSITIVE_INFINITY : at - beepSec * 1000;
};

describe('placement on the meeting timeline', () => {
  it('places every track at its first packet (±15 ms), a late joiner at 8.13 s and a track from 0 at 0 despite Opus pre-skip', () => {
    for (const t of audioTracks) expect(Math.abs(trackOf(t).offsetMs - t.startSec * 1000), t.name).toBeLessThanOrEqual(15);
    expect(trackOf(TRACKS.fromZero).offsetMs).toBe(0);
    expect(trackOf(TRACKS.lateJoiner)).toMatchObject({
      offsetSource: 'container',
      participantId: TRACKS.lateJoiner.name.slice(14, 50),
      trackName: 'cam-audio',
    });
  });

  it('keeps the Daily filename offset beside it: a steady ~-209 ms delta and no warnings', () => {
    for (const t of audioTracks) {
      const track = trackOf(t);
      expect(track.filenameOffsetMs).toBe(Math.round(t.startSec * 1000) + 209);
      expect(Math.abs(track.offsetDeltaMs! + 209), t.name).toBeLessThanOrEqual(15);
      expect(track.warnings, t.name).toEqual([]);
    }
  });

  it('ends each track at its last packet (±50 ms) and the meeting at the latest end', () => {
    for (const t of audioTracks) expect(Math.abs(trackOf(t).endMs - t.endSec * 1000), t.name).toBeLessThanOrEqual(50);
    expect(Math.abs(timeline.durationMs - 20_000)).toBeLessThanOrEqual(50);
  });

  it('keeps a reconnecting participant as two tracks with one participant id', () => {
    const dan = timeline.tracks.filter((t) => t.participantId === DAN);
    expect(dan.map((t) => Math.round(t.offsetMs / 1000))).toEqual([2, 12]);
  });
});

describe('gaps', () => {
  it('reports mutes with their bounds in meeting time (±60 ms)', () => {
    for (const t of [TRACKS.lateJoiner, TRACKS.fromZero]) {
      const gaps = trackOf(t).gaps;
      expect(gaps).toHaveLength(1);
      expect(Math.abs(gaps[0]!.startMs - t.mutesSec[0]![0] * 1000)).toBeLessThanOrEqual(60);
      expect(Math.abs(gaps[0]!.endMs - t.mutesSec[0]![1] * 1000)).toBeLessThanOrEqual(60);
    }
  });

  it('reports DTX stretches as gaps, single lost packets not', () => {
    const dtx = trackOf(TRACKS.dtx).gaps;
    expect(dtx.length).toBeGreaterThanOrEqual(12);
    expect(dtx.every((g) => g.startMs >= 4940 && g.endMs <= 10060)).toBe(true);
    expect(trackOf(TRACKS.lostPackets).gaps).toEqual([]);
  });

  it('renders mutes and the time before a late join as digital silence', async () => {
    for (const t of [TRACKS.lateJoiner, TRACKS.fromZero]) {
      const pcm = await renderedPcm(t);
      for (const gap of trackOf(t).gaps) expect(peakIn(pcm, gap.startMs + 60, gap.endMs - 60), t.name).toBe(0);
    }
    expect(peakIn(await renderedPcm(TRACKS.lateJoiner), 0, 8100)).toBe(0);
    expect(peakIn(await renderedPcm(TRACKS.lateJoiner), 8200, 10900)).toBeGreaterThan(1000);
  });
});

describe('rendered tracks', () => {
  it('writes one 16 kHz mono WAV per audio track, named after its input, from meeting time 0 to its end (±50 ms)', async () => {
    for (const t of audioTracks) {
      const track = trackOf(t);
      expect(track.output).toBe(`tracks/${t.name}.wav`);
      const pcm = await renderedPcm(t);
      expect(pcm.sampleRateHz).toBe(16000);
      expect(Math.abs(pcm.durationMs - t.endSec * 1000), t.name).toBeLessThanOrEqual(50);
    }
  });

  it('puts every beep where it belongs (±20 ms), also after ten lost packets and a DTX stretch', async () => {
    for (const t of audioTracks) {
      const pcm = await renderedPcm(t);
      for (const beep of t.beepsSec ?? []) expect(Math.abs(beepErrorMs(pcm, beep)), `${t.name} beep ${beep}`).toBeLessThanOrEqual(20);
    }
  });
});

describe('mixdown', () => {
  let mix: Pcm;
  beforeAll(async () => {
    mix = await decodeToPcm(engine, run.mixdownPath, 48000);
  });

  it('covers the whole meeting (±50 ms) as 48 kHz mono MP3', async () => {
    expect(basename(run.mixdownPath)).toBe('mixdown.mp3');
    const probe = await engine.probe({ name: 'mix.mp3', path: run.mixdownPath });
    expect(probe.streams?.[0]).toMatchObject({ codec_name: 'mp3', sample_rate: '48000', channels: 1 });
    expect(Math.abs(Number(probe.format?.bit_rate) - 128_000)).toBeLessThan(4000);
    expect(Math.abs(mix.durationMs - timeline.durationMs)).toBeLessThanOrEqual(50);
  });

  it('holds every beep of every track in place (±20 ms)', () => {
    for (const t of audioTracks) {
      for (const beep of t.beepsSec ?? []) expect(Math.abs(beepErrorMs(mix, beep)), `${t.name} beep ${beep}`).toBeLessThanOrEqual(20);
    }
  });

  it('does not scale voices by 1/N: a beep keeps its level among seven tracks', () => {
    const peak = peakIn(mix, 2000, 2100) / 32768; // Bob's beep at 2.0 s while five mics are open
    expect(peak).toBeGreaterThan(BEEP_AMPLITUDE * 0.85);
    expect(peak).toBeLessThanOrEqual(0.96); // the limiter's ceiling (0.95) holds
  });
});

describe('bad inputs fail alone', () => {
  it('skips the video-only track and the garbage file with reasons', () => {
    expect(timeline.skipped).toEqual([
      { file: TRACKS.videoOnly.name, code: 'MEDIA_NO_AUDIO', reason: 'no audio stream (video only: vp8)' },
      { file: 'garbage.webm', code: 'MEDIA_UNREADABLE', reason: expect.stringMatching(/^not a media file/) },
    ]);
  });

  it('renders what a truncated file holds and says it is truncated', () => {
    const truncated = timeline.tracks.find((t) => t.file === basename(meeting.truncated))!;
    expect(truncated.output).not.toBeNull();
    expect(truncated.warnings.join('\n')).toMatch(/file is truncated \(\d+ of \d+ bytes\)/);
  });

  it('returns the same timeline it writes', () => {
    expect(run.timeline).toEqual(timeline);
  });
});
