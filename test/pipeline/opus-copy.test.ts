/**
 * The default Opus render copies the source's packets (src/mix/opus-copy/): on the fixture
 * meeting (late join, mutes, lost packets, DTX, reconnect) plus a track of 10/20/40/60 ms frames
 * and a damaged copy, all made by the project's wasm engine and rendered by it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Engine, RunRequest } from '../../src/engine/engine.ts';
import { sharedEngine } from '../helpers/shared-engine.ts';
import { processFiles, type ProcessFilesResult } from '../../src/pipeline/process-files.ts';
import type { Timeline, TimelineTrack } from '../../src/timeline/types.ts';
import { dailyName, type SyntheticTrack } from '../../src/demo/synthetic-meeting.ts';
import { fileByteReader } from '../../src/probe/file-byte-reader.ts';
import { scanWebmOpusPackets } from '../../src/probe/webm-opus-scan.ts';
import { silentOpusFrame, SILENCE_FRAME_SAMPLES } from '../../src/mix/opus-copy/silence.ts';
import { createWebmOpusWriter } from '../../src/mix/opus-copy/webm-writer.ts';
import { memorySink } from '../../src/mix/opus-copy/memory-sink.ts';
import { fixtureMeeting, type FixtureMeeting } from '../helpers/fixture-meeting.ts';
import { decodeToPcm } from '../helpers/decode.ts';
import { firstSoundMs, peakIn, type Pcm } from '../helpers/wav.ts';
import { CAROL, ERIN, FRANK, TRACKS } from '../fixtures/meeting.ts';

let engine: Engine;
let meeting: FixtureMeeting;
let run: ProcessFilesResult;
let timeline: Timeline;
let outDir: string;
const paths = new Map<string, string>();

const BEEP_THRESHOLD = 16000;
/** A track of 10, 20, 40 and 60 ms packets, 3 s each, a beep 1 s into each stretch (mixedFramesTrack). */
const MIXED_FRAMES = { name: dailyName(FRANK, 'screen-audio', 0), beepsSec: [1, 4, 7, 10] };
/**
 * The late joiner's packets declared stereo (OpusHead channel count 2; mono-coded packets are valid
 * in a stereo stream, RFC 7845 §5.1.1): the engine's libopus traps encoding stereo, so this is the
 * stereo source the tests can have. Its render must stay stereo.
 */
const STEREO = { name: dailyName(CAROL, 'screen-audio', 8.13), beepsSec: TRACKS.lateJoiner.beepsSec, startSec: TRACKS.lateJoiner.startSec };
/** The lost-packets track with one packet's TOC broken (code 3, zero frames) and a stretch of bytes overwritten. */
const DAMAGED = { name: dailyName(ERIN, 'screen-audio', 0.5), beepsSec: [18.2] };

const audioTracks = Object.values(TRACKS).filter((t) => !('kind' in t)) as SyntheticTrack[];

type ScannedPackets = { packets: Array<{ timestampMs: number; hash: string; hex: string }>; codecDelayMs: number };
const scanPackets = async (path: string): Promise<ScannedPackets> => {
  const handle = await open(path, 'r');
  try {
    const packets: ScannedPackets['packets'] = [];
    const scan = await scanWebmOpusPackets(fileByteReader(handle, (await handle.stat()).size), {
      onPacket: ({ timestampMs, payload }) =>
        void packets.push({ timestampMs, hash: createHash('sha256').update(payload).digest('hex'), hex: Buffer.from(payload.subarray(0, 4)).toString('hex') }),
    });
    return { packets, codecDelayMs: (scan?.codecDelayNs ?? 0) / 1e6 };
  } finally {
    await handle.close();
  }
};

const encodePart = async (frameMs: number, beepsSec: string, durationSec: number, name: string) => {
  const result = await engine.run({
    args: [
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      `aevalsrc='0.05*sin(2*PI*300*t)+0.6*sin(2*PI*1000*t)*(${beepsSec})':s=48000:c=mono:d=${durationSec}`,
      '-c:a',
      'libopus',
      '-b:a',
      '32k',
      '-frame_duration',
      String(frameMs),
      '-f',
      'webm',
      name,
    ],
    outputs: [{ name }],
  });
  return result.outputs[0]!.bytes!;
};

/**
 * Frames of one 20 ms packet each, joined into one code-3 VBR packet (RFC 6716 §3.2.5) as
 * libopus's repacketizer does: the engine's libopus traps encoding 40 and 60 ms frames, and this
 * gives the same packets a 40/60 ms encoder would send.
 */
const joinFrames = (packets: readonly Uint8Array[]): Uint8Array => {
  if (packets.length === 1) return packets[0]!;
  const frames = packets.map((p) => p.subarray(1));
  const lengths = frames.slice(0, -1).flatMap((f) => (f.length < 252 ? [f.length] : [252 + (f.length & 3), (f.length - 252 - (f.length & 3)) >> 2]));
  return Uint8Array.from([(packets[0]![0]! & 0xfc) | 3, 0x80 | frames.length, ...lengths, ...frames.flatMap((f) => [...f])]);
};

/** 3 s of 10 ms frames, then 3 s each of 20, 40 and 60 ms packets; a beep 1 s into each stretch. */
const mixedFramesTrack = async (dir: string): Promise<string> => {
  const parts = [
    await encodePart(10, 'between(t,1,1.1)', 3, 'a.webm'),
    await encodePart(20, 'between(t,1,1.1)+between(t,4,4.1)+between(t,7,7.1)', 9, 'b.webm'),
  ];
  const joined = await engine.run({
    args: ['-loglevel', 'error', '-f', 'concat', '-safe', '0', '-i', 'list.txt', '-c', 'copy', '-f', 'webm', 'joined.webm'],
    inputs: [
      { name: 'list.txt', data: new TextEncoder().encode("file 'a.webm'\nfile 'b.webm'\n") },
      ...parts.map((data, i) => ({ name: `${'ab'[i]}.webm`, data })),
    ],
    outputs: [{ name: 'joined.webm' }],
  });
  const joinedPath = join(dir, 'joined.webm');
  await writeFile(joinedPath, joined.outputs[0]!.bytes!);
  const handle = await open(joinedPath, 'r');
  const packets: Array<{ timestampMs: number; payload: Uint8Array; durationMs: number }> = [];
  const scan = await scanWebmOpusPackets(fileByteReader(handle, (await handle.stat()).size), {
    onPacket: ({ timestampMs, payload, durationMs }) => void packets.push({ timestampMs, payload: payload.slice(), durationMs: durationMs! }),
  });
  await handle.close();
  const sink = memorySink();
  const writer = await createWebmOpusWriter(sink, { opusHead: scan!.codecPrivate!, channels: 1, codecDelayNs: scan!.codecDelayNs });
  for (let i = 0; i < packets.length; ) {
    const { timestampMs } = packets[i]!;
    const group = timestampMs < 6000 ? 1 : timestampMs < 9000 ? 2 : 3;
    const members = packets.slice(i, i + group).filter((p, _, all) => p.durationMs === 20 && p.payload[0] === all[0]!.payload[0] && (p.payload[0]! & 3) === 0);
    const taken = members.length === group ? members : [packets[i]!];
    await writer.packet(timestampMs, joinFrames(taken.map((p) => p.payload)));
    i += taken.length;
  }
  await writer.finish(12_000);
  const path = join(dir, MIXED_FRAMES.name);
  await writeFile(path, sink.bytes());
  return path;
};

const stereoTrack = async (dir: string): Promise<string> => {
  const handle = await open(meeting.paths.lateJoiner, 'r');
  const packets: Array<{ timestampMs: number; payload: Uint8Array; durationMs: number }> = [];
  const scan = await scanWebmOpusPackets(fileByteReader(handle, (await handle.stat()).size), {
    onPacket: ({ timestampMs, payload, durationMs }) => void packets.push({ timestampMs, payload: payload.slice(), durationMs: durationMs! }),
  });
  await handle.close();
  const head = scan!.codecPrivate!.slice();
  head[9] = 2;
  const sink = memorySink();
  const writer = await createWebmOpusWriter(sink, { opusHead: head, channels: 2, codecDelayNs: scan!.codecDelayNs });
  for (const p of packets) await writer.packet(p.timestampMs, p.payload);
  await writer.finish(packets.at(-1)!.timestampMs + 20);
  const path = join(dir, STEREO.name);
  await writeFile(path, sink.bytes());
  return path;
};

const damagedTrack = async (dir: string): Promise<string> => {
  const bytes = Buffer.from(await readFile(meeting.paths.lostPackets));
  const { packets } = await scanPackets(meeting.paths.lostPackets);
  // A packet whose TOC says "code 3" with a frame count of 0: malformed (RFC 6716 §3.2.5).
  const victim = packets[150]!;
  const at = bytes.indexOf(Buffer.from(victim.hex, 'hex'));
  bytes[at] = bytes[at]! | 0x03;
  bytes[at + 1] = 0;
  // And a stretch of garbage a third of the way in, as a damaged upload has.
  bytes.fill(0xee, Math.floor(bytes.length / 3), Math.floor(bytes.length / 3) + 300);
  const path = join(dir, DAMAGED.name);
  await writeFile(path, bytes);
  return path;
};

beforeAll(async () => {
  engine = await sharedEngine();
  meeting = await fixtureMeeting();
  for (const t of audioTracks) paths.set(t.name, meeting.paths[(Object.keys(TRACKS) as Array<keyof typeof TRACKS>).find((k) => TRACKS[k].name === t.name)!]);
  paths.set(MIXED_FRAMES.name, await mixedFramesTrack(meeting.dir));
  paths.set(DAMAGED.name, await damagedTrack(meeting.dir));
  paths.set(STEREO.name, await stereoTrack(meeting.dir));
  outDir = join(meeting.dir, 'out');
  run = await processFiles([...paths.values()], { engine, outDir });
  timeline = JSON.parse(await readFile(join(outDir, 'timeline.json'), 'utf8')) as Timeline;
});
afterAll(async () => {
  if (meeting) await rm(meeting.dir, { recursive: true, force: true });
});

const trackOf = (name: string): TimelineTrack => timeline.tracks.find((x) => x.file === name)!;
const pcmCache = new Map<string, Promise<Pcm>>();
const renderedPcm = (name: string) => {
  const path = join(outDir, trackOf(name).output!);
  if (!pcmCache.has(path)) pcmCache.set(path, decodeToPcm(engine, path, 48000));
  return pcmCache.get(path)!;
};
/**
 * Where the truth puts a beep in this fixture: FFmpeg 5.1's WebM muxer (the engine's) writes each
 * block at its packet's pts, which libopus sets 6.5 ms (the pre-skip) before the audio it holds,
 * and shifts a file to start at 0 only when that pts is negative. So a track starting later holds
 * its audio at its first block's timestamp plus the distance to its first 20 ms frame, and every
 * render (decode path too: measured −5.8 to −6.4 ms against the nominal time) follows the file.
 */
const expectedBeepMs = (t: { startSec?: number }, track: TimelineTrack, beepSec: number) => {
  const firstFrameMs = Math.ceil(((t.startSec ?? 0) * 1000) / 20 - 1e-9) * 20;
  return beepSec * 1000 + (track.containerOffsetMs! - firstFrameMs);
};
const beepErrorMs = (pcm: Pcm, expectedMs: number) => {
  const at = firstSoundMs(pcm, BEEP_THRESHOLD, expectedMs - 400);
  return at === null ? Number.POSITIVE_INFINITY : at - expectedMs;
};
const allTracks = () => [...audioTracks, { ...MIXED_FRAMES, startSec: 0 }, { ...DAMAGED, startSec: 0.5 }, STEREO];

describe('copied renders', () => {
  it('copies every Opus track and says so; nothing dropped from a clean source', () => {
    for (const t of allTracks()) expect(trackOf(t.name).render, t.name).toBe('copy');
    for (const t of audioTracks) expect([trackOf(t.name).packetsDropped, trackOf(t.name).warnings], t.name).toEqual([0, []]);
    // Where the stream-copy join (ffmpeg's concat) put the 20 ms part's first packet over the 10 ms part's last.
    expect(trackOf(MIXED_FRAMES.name).packetsDropped).toBe(1);
    expect(trackOf(MIXED_FRAMES.name).warnings).toEqual([
      '1 Opus packet(s) left out of the copied render: 0 damaged, 1 duplicate or overlapping the previous one',
    ]);
  });

  it('holds every source packet byte for byte, in order, within 1.75 ms of its place, and adds only silent frames', async () => {
    const silent = new Set(
      [1, 2].flatMap((channels) => SILENCE_FRAME_SAMPLES.map((samples) => createHash('sha256').update(silentOpusFrame(samples, channels)).digest('hex'))),
    );
    for (const t of allTracks()) {
      const track = trackOf(t.name);
      const source = await scanPackets(paths.get(t.name)!);
      const render = await scanPackets(join(outDir, track.output!));
      const shiftMs = track.offsetMs - track.containerOffsetMs!;
      let next = 0;
      let skipped = 0;
      let worstMs = 0;
      for (const packet of render.packets) {
        if (source.packets[next]?.hash !== packet.hash && silent.has(packet.hash)) continue;
        const found = source.packets.findIndex((p, i) => i >= next && p.hash === packet.hash);
        expect(found, `${t.name}: a render packet that is neither a source packet (in order) nor silence`).toBeGreaterThanOrEqual(next);
        const wanted = source.packets[found]!;
        worstMs = Math.max(worstMs, Math.abs(packet.timestampMs - render.codecDelayMs - (wanted.timestampMs - source.codecDelayMs + shiftMs)));
        skipped += found - next;
        next = found + 1;
      }
      skipped += source.packets.length - next;
      // Every source packet is there but those the render says it dropped (the damaged copy's).
      expect(skipped, t.name).toBe(track.packetsDropped);
      // Half a 2.5 ms quantum, plus WebM's millisecond rounding.
      expect(worstMs, t.name).toBeLessThanOrEqual(1.75);
    }
  });

  it('puts every beep where the truth puts it (±3 ms), across lost packets, DTX, reconnects and damage', async () => {
    for (const t of [...audioTracks, { ...DAMAGED, startSec: 0.5 }, STEREO]) {
      const pcm = await renderedPcm(t.name);
      for (const beep of t.beepsSec ?? []) {
        expect(Math.abs(beepErrorMs(pcm, expectedBeepMs(t, trackOf(t.name), beep))), `${t.name} beep ${beep}`).toBeLessThanOrEqual(3);
      }
    }
  });

  it('puts the beeps of 10/20/40/60 ms packets where the source itself decodes them (±3 ms)', async () => {
    // The track starts at 0, so decoding the source alone puts its samples on the meeting clock.
    const source = await decodeToPcm(engine, paths.get(MIXED_FRAMES.name)!, 48000);
    const pcm = await renderedPcm(MIXED_FRAMES.name);
    for (const beep of MIXED_FRAMES.beepsSec) {
      const truth = firstSoundMs(source, BEEP_THRESHOLD, beep * 1000 - 400)!;
      expect(Math.abs(truth - beep * 1000), `source beep ${beep}`).toBeLessThanOrEqual(20);
      expect(Math.abs(beepErrorMs(pcm, truth)), `beep ${beep}`).toBeLessThanOrEqual(3);
    }
  });

  it('decodes to exactly the track: from meeting time 0 to its end (±2.5 ms)', async () => {
    for (const t of allTracks()) {
      const pcm = await renderedPcm(t.name);
      expect(Math.abs(pcm.durationMs - trackOf(t.name).endMs), t.name).toBeLessThanOrEqual(2.5);
    }
  });

  it('is digital silence before a late join and inside a mute', async () => {
    const late = TRACKS.lateJoiner;
    const pcm = await renderedPcm(late.name);
    expect(peakIn(pcm, 0, trackOf(late.name).offsetMs - 10)).toBe(0);
    expect(peakIn(pcm, 11_050, 12_950)).toBe(0);
    const dtx = await renderedPcm(TRACKS.dtx.name);
    expect(peakIn(dtx, 0, trackOf(TRACKS.dtx.name).offsetMs - 10)).toBe(0);
  });

  it('keeps a stereo source stereo: OpusHead, track header and the silence in between', async () => {
    const path = join(outDir, trackOf(STEREO.name).output!);
    const silentMono = Buffer.from(silentOpusFrame(960, 1)).toString('hex');
    const silentStereo = Buffer.from(silentOpusFrame(960, 2)).toString('hex');
    const source = await scanPackets(paths.get(STEREO.name)!);
    const render = await scanPackets(path);
    const count = (packets: ScannedPackets['packets'], hex: string) => packets.filter((p) => p.hex === hex).length;
    // The lead-in and the mute are stereo silence; mono silence only where the source itself had it.
    expect(count(render.packets, silentStereo)).toBeGreaterThan(400);
    expect(count(render.packets, silentMono)).toBe(count(source.packets, silentMono));
    const probe = await engine.probe({ name: 'in.webm', path });
    expect(probe.streams?.[0]).toMatchObject({ codec_name: 'opus', channels: 2 });
  });

  it('drops the malformed packet with a warning, and reads on past the damaged stretch', () => {
    const track = trackOf(DAMAGED.name);
    expect(track.packetsDropped).toBeGreaterThanOrEqual(1);
    expect(track.warnings.join(' ')).toMatch(/Opus packet\(s\) left out of the copied render: \d+ damaged/);
  });

  it('finds the speech analysis on copied tracks, and mixes the copies with every beep in place (±3 ms)', async () => {
    for (const t of allTracks()) expect(trackOf(t.name).speech, t.name).not.toBeNull();
    const mix = await decodeToPcm(engine, run.mixdownPath, 48000);
    for (const t of audioTracks) {
      for (const beep of t.beepsSec ?? []) {
        expect(Math.abs(beepErrorMs(mix, expectedBeepMs(t, trackOf(t.name), beep))), `${t.name} beep ${beep}`).toBeLessThanOrEqual(3);
      }
    }
  });

  it('decodes each copied render once, for the speech analyzer and the mixdown both, and leaves no decoded copy behind', async () => {
    const requests: RunRequest[] = [];
    const recording: Engine = {
      concurrency: engine.concurrency,
      run: (request) => {
        requests.push(request);
        return engine.run(request);
      },
      probe: engine.probe.bind(engine),
      close: async () => {},
    };
    const dir = join(meeting.dir, 'decoded-once');
    const files = [TRACKS.leavesEarly.name, STEREO.name].map((name) => paths.get(name)!);
    const once = await processFiles(files, { engine: recording, outDir: dir });
    expect(once.timeline.tracks.map((t) => [t.render, t.speech === null])).toEqual([
      ['copy', false],
      ['copy', false],
    ]);
    // One decode per track (its speech tap, also writing the mixdown's WAV), then the mixdown reading those WAVs.
    const decodes = requests.filter((r) => r.args.some((a) => /^copy\d+\.webm$/.test(a)));
    const mixdowns = requests.filter((r) => r.outputs?.some((o) => o.name.startsWith('mixdown-')));
    expect(decodes.length).toBe(2);
    expect(mixdowns.length).toBeGreaterThan(0);
    // Besides those, only the cross-track bleed analysis (no ffmpeg, no decoding).
    expect(requests.filter((r) => r.tool !== 'bleed').length).toBe(decodes.length + mixdowns.length);
    for (const mix of mixdowns) expect(mix.inputs?.map((i) => i.name)).toEqual(['mix0.wav', 'mix1.wav']);
    expect((await readdir(dir)).sort()).toEqual(['mixdown.mp3', 'timeline.json', 'tracks']);
  });

  it('decodes and encodes again with reencode, and inspect leaves render null', async () => {
    const dir = join(meeting.dir, 'reencoded');
    const again = await processFiles([paths.get(TRACKS.leavesEarly.name)!], { engine, outDir: dir, reencode: true });
    expect(again.timeline.tracks[0]).toMatchObject({ render: 'decode', packetsDropped: null });
    const { inspectFiles } = await import('../../src/pipeline/process-files.ts');
    const inspected = await inspectFiles([paths.get(TRACKS.leavesEarly.name)!]);
    expect(inspected.tracks[0]).toMatchObject({ render: null, packetsDropped: null });
  });
});
