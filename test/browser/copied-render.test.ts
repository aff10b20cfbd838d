/**
 * A copied Opus render (src/mix/opus-copy/) decoded by Chromium itself (Web Audio's
 * decodeAudioData: its own WebM demuxer and Opus decoder, not our engine): it honours the pre-skip
 * and plays without gaps, every beep where our engine puts it, as long as the timeline says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Engine } from '../../src/engine/engine.ts';
import { sharedEngine } from '../helpers/shared-engine.ts';
import { processFiles } from '../../src/pipeline/process-files.ts';
import type { Timeline, TimelineTrack } from '../../src/timeline/types.ts';
import { fixtureMeeting, type FixtureMeeting } from '../helpers/fixture-meeting.ts';
import { openBrowser, type TestBrowser } from '../helpers/browser.ts';
import { TRACKS } from '../fixtures/meeting.ts';

let engine: Engine;
let meeting: FixtureMeeting;
let browser: TestBrowser;
let page: Page;
let timeline: Timeline;
const picked = [TRACKS.lateJoiner, TRACKS.fromZero, TRACKS.lostPackets];

beforeAll(async () => {
  engine = await sharedEngine();
  meeting = await fixtureMeeting();
  const keys = Object.keys(TRACKS) as Array<keyof typeof TRACKS>;
  const inputs = picked.map((t) => meeting.paths[keys.find((k) => TRACKS[k].name === t.name)!]);
  timeline = (await processFiles(inputs, { engine, outDir: join(meeting.dir, 'out') })).timeline;
  browser = await openBrowser();
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
  if (meeting) await rm(meeting.dir, { recursive: true, force: true });
});

type Decoded = { durationMs: number; channels: number; beepsMs: Array<number | null>; longestQuietMs: number };

/** Decodes `bytes` in the page; beep onsets searched from each `fromMs`, and the longest run of digital silence within [quietFromMs, quietToMs). */
const decodeInChromium = (bytes: Uint8Array, fromMs: number[], quietFromMs: number, quietToMs: number): Promise<Decoded> =>
  page.evaluate(
    async ({ base64, fromMs, quietFromMs, quietToMs }) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const buffer = await new OfflineAudioContext(1, 1, 48000).decodeAudioData(data.buffer);
      const samples = buffer.getChannelData(0);
      const rate = buffer.sampleRate;
      const beepsMs = fromMs.map((ms) => {
        for (let i = Math.floor((ms / 1000) * rate); i < samples.length; i++) if (Math.abs(samples[i]!) > 16000 / 32768) return (i / rate) * 1000;
        return null;
      });
      let longest = 0;
      let run = 0;
      for (let i = Math.floor((quietFromMs / 1000) * rate); i < Math.min(samples.length, (quietToMs / 1000) * rate); i++) {
        run = samples[i] === 0 ? run + 1 : 0;
        longest = Math.max(longest, run);
      }
      return { durationMs: (buffer.length / rate) * 1000, channels: buffer.numberOfChannels, beepsMs, longestQuietMs: (longest / rate) * 1000 };
    },
    { base64: Buffer.from(bytes).toString('base64'), fromMs, quietFromMs, quietToMs },
  );

const trackOf = (name: string): TimelineTrack => timeline.tracks.find((t) => t.file === name)!;

describe('copied renders in Chromium', () => {
  it('decode to the track’s length (±2.5 ms) with every beep where the engine puts it (±3 ms) and no gap inside the audio', async () => {
    for (const t of picked) {
      const track = trackOf(t.name);
      expect(track.render).toBe('copy');
      const bytes = await readFile(join(meeting.dir, 'out', track.output!));
      // The stretch from the first packet to the first mute (or the end) holds tone all along.
      const firstMuteMs = track.gaps[0]?.startMs ?? track.endMs;
      const lostMs = ('lostPacketsSec' in t ? t.lostPacketsSec : []).map((s) => s * 1000);
      const quietToMs = Math.min(firstMuteMs, ...lostMs) - 5;
      const decoded = await decodeInChromium(
        bytes,
        t.beepsSec.map((b) => b * 1000 - 400),
        track.offsetMs + 10,
        quietToMs,
      );
      expect(Math.abs(decoded.durationMs - track.endMs), t.name).toBeLessThanOrEqual(2.5);
      expect(decoded.channels).toBe(1);
      expect(decoded.longestQuietMs, `${t.name}: digital silence inside the audio`).toBeLessThan(1);
      // Where the project's engine decodes the same render (the placement test/pipeline/opus-copy.test.ts holds to the truth).
      const engineDecoded = await engine.run({
        args: ['-loglevel', 'error', '-i', 'in.webm', '-ac', '1', '-c:a', 'pcm_f32le', '-f', 'f32le', 'out.raw'],
        inputs: [{ name: 'in.webm', data: bytes }],
        outputs: [{ name: 'out.raw' }],
      });
      const raw = engineDecoded.outputs[0]!.bytes!;
      const samples = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
      t.beepsSec.forEach((b, i) => {
        let at = Math.floor((b - 0.4) * 48000);
        while (at < samples.length && Math.abs(samples[at]!) <= 16000 / 32768) at++;
        expect(Math.abs(decoded.beepsMs[i]! - (at / 48000) * 1000), `${t.name} beep ${b}`).toBeLessThanOrEqual(3);
      });
    }
  });
});
