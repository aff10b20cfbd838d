/**
 * Output formats and single-file (Whereby) recordings, on the real engine.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../../src/engine/engine.ts';
import { sharedEngine } from '../helpers/shared-engine.ts';
import { processFiles } from '../../src/pipeline/process-files.ts';
import { syntheticTracks } from '../helpers/synthetic-tracks.ts';
import { decodeToPcm } from '../helpers/decode.ts';
import { firstSoundMs, peakIn } from '../helpers/wav.ts';
import { TRACKS, WHEREBY_MP4 } from '../fixtures/meeting.ts';
import { parsePeaks, type ParsedPeaks } from '../../src/mix/peaks.ts';

/** The loudest 8-bit value of the peaks between two track times. */
const loudestIn = (peaks: ParsedPeaks, fromMs: number, toMs: number) => {
  let loudest = 0;
  for (let i = Math.floor(fromMs / 10); i < Math.min(peaks.length, toMs / 10); i++) loudest = Math.max(loudest, -peaks.min[i]!, peaks.max[i]!);
  return loudest;
};

let engine: Engine;
let dir: string;
let late: string;
let mp4: string;

beforeAll(async () => {
  engine = await sharedEngine();
  dir = await mkdtemp(join(tmpdir(), 'rt-formats-'));
  [late, mp4] = (await syntheticTracks(engine, [TRACKS.lateJoiner, WHEREBY_MP4], dir)) as [string, string];
});

describe('track formats', () => {
  it('defaults to Opus in WebM at 48 kHz mono, with clean zero-based timestamps and the gap filled', async () => {
    const out = join(dir, 'opus');
    const { timeline } = await processFiles([late!], { engine, outDir: out });
    const path = join(out, timeline.tracks[0]!.output!);
    expect(timeline.tracks[0]!.output).toBe(`tracks/${TRACKS.lateJoiner.name}.webm`);
    const probe = await engine.probe({ name: 't.webm', path });
    expect(probe.streams?.[0]).toMatchObject({ codec_name: 'opus', sample_rate: '48000', channels: 1 });
    // The output's clock starts at 0 (less Opus pre-skip): a player honouring pts adds no second offset.
    expect(Math.abs(Number(probe.streams?.[0]?.start_time))).toBeLessThanOrEqual(0.007);
    const pcm = await decodeToPcm(engine, path);
    expect(Math.abs(pcm.durationMs - 20_000)).toBeLessThanOrEqual(50);
    expect(Math.abs(firstSoundMs(pcm, 16000, 8600)! - 9000)).toBeLessThanOrEqual(20);
    expect(peakIn(pcm, 11_100, 12_900)).toBeLessThan(30); // Opus-coded silence decodes to (near) zero
    // Its waveform peaks, from the 8 kHz speech tap: 100 points a second over the whole render.
    expect(timeline.tracks[0]!.peaks).toBe(`tracks/${TRACKS.lateJoiner.name}.webm.peaks.dat`);
    const peaks = parsePeaks(await readFile(join(out, timeline.tracks[0]!.peaks!)));
    expect(peaks).toMatchObject({ sampleRateHz: 8000, samplesPerPoint: 80 });
    expect(Math.abs(peaks.length - pcm.durationMs / 10)).toBeLessThanOrEqual(5);
    expect(loudestIn(peaks, 0, 8100)).toBe(0); // before the join at 8.13 s: the filled lead-in
    // The beep at 9 s stands well over the room noise before it, as in the decoded render.
    expect(loudestIn(peaks, 9000, 9500)).toBeGreaterThan(2 * loudestIn(peaks, 8200, 8900));
    expect(Math.abs(loudestIn(peaks, 9000, 9500) - (peakIn(pcm, 9000, 9500) >> 8))).toBeLessThanOrEqual(peakIn(pcm, 9000, 9500) / 256 / 5);
    expect(loudestIn(peaks, 11_100, 12_900)).toBe(0);
  });

  it('writes FLAC at 16 kHz with --track-format flac', async () => {
    const out = join(dir, 'flac');
    const { timeline } = await processFiles([late!], { engine, outDir: out, trackFormat: 'flac' });
    const probe = await engine.probe({ name: 't.flac', path: join(out, timeline.tracks[0]!.output!) });
    expect(probe.streams?.[0]).toMatchObject({ codec_name: 'flac', sample_rate: '16000', channels: 1 });
  });
});

describe('Whereby / single files', () => {
  it('turns an MP4 with AAC audio and H.264 video into one track and the mixdown', async () => {
    const out = join(dir, 'whereby');
    const result = await processFiles([mp4!], { engine, outDir: out, trackFormat: 'wav' });
    expect(result.timeline.tracks).toHaveLength(1);
    expect(result.timeline.tracks[0]).toMatchObject({ codec: 'aac', offsetMs: 0, participantId: null, filenameOffsetMs: null, warnings: [] });
    expect(Math.abs(result.timeline.durationMs - 6000)).toBeLessThanOrEqual(50);
    const track = await decodeToPcm(engine, join(out, result.timeline.tracks[0]!.output!));
    const mix = await decodeToPcm(engine, result.mixdownPath);
    for (const pcm of [track, mix]) {
      for (const beep of WHEREBY_MP4.beepsSec!) expect(Math.abs(firstSoundMs(pcm, 16000, beep * 1000 - 400)! - beep * 1000)).toBeLessThanOrEqual(20);
    }
    // A WAV render's peaks come from its own samples (16 kHz halved to the 8 kHz tap): the beeps show.
    const peaks = parsePeaks(await readFile(join(out, result.timeline.tracks[0]!.peaks!)));
    expect(Math.abs(peaks.length - track.durationMs / 10)).toBeLessThanOrEqual(5);
    for (const beep of WHEREBY_MP4.beepsSec!) expect(loudestIn(peaks, beep * 1000, beep * 1000 + 100)).toBeGreaterThan(10);
  });
});

describe('mixdown level', () => {
  it('holds simultaneous loud voices under the limiter ceiling instead of clipping', async () => {
    const loud = (name: string, toneHz: number) => ({ name, startSec: 0, endSec: 4, beepsSec: [2], toneHz });
    const paths = await syntheticTracks(engine, [loud('l1.webm', 300), loud('l2.webm', 301), loud('l3.webm', 302)], dir);
    const out = join(dir, 'loud');
    const result = await processFiles(paths, { engine, outDir: out, trackFormat: 'wav' });
    const mix = await decodeToPcm(engine, result.mixdownPath, 48000);
    // Three 0.6 beeps in phase sum to 1.8 full scale; the limiter keeps them at 0.95.
    const peak = peakIn(mix, 1900, 2200) / 32768;
    expect(peak).toBeGreaterThan(0.85);
    expect(peak).toBeLessThanOrEqual(0.96);
  });

  it('normalizes loudness to the EBU R128 target with --loudnorm', async () => {
    // Single-pass loudnorm adapts its gain over seconds: a minute of steady talk lets it settle.
    const [steady] = await syntheticTracks(engine, [{ name: 'steady.webm', startSec: 0, endSec: 60, toneHz: 300 }], dir);
    const out = join(dir, 'loudnorm');
    const result = await processFiles([steady!], {
      engine,
      outDir: out,
      trackFormat: 'wav',
      mixdown: { loudnorm: { integratedLufs: -16, truePeakDb: -1.5, lra: 11 } },
    });
    const measure = await engine.run({
      args: ['-hide_banner', '-nostats', '-i', 'm.mp3', '-af', 'ebur128', '-f', 'null', '-'],
      inputs: [{ name: 'm.mp3', path: result.mixdownPath }],
    });
    const integrated = Number(/I:\s+(-?[\d.]+) LUFS/.exec(measure.log.filter((l) => l.includes('I:')).at(-1) ?? '')?.[1]);
    expect(Math.abs(integrated - -16)).toBeLessThan(2);
  });
});
