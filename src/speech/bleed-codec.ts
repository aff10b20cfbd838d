/**
 * The bleed analysis as an engine job (`tool: 'bleed'`), so that in Node it runs in the worker
 * pool and never on the caller's event loop: every track's frames and levels packed into one
 * buffer (transferred, not copied), the result back as JSON. Pure; the worker and the browser
 * engine both call `runBleedJob`.
 */
import { analyseBleed, type BleedResult, type BleedTrackInput } from './bleed.ts';

export const BLEED_INPUT_NAME = 'bleed-input.bin';
export const BLEED_OUTPUT_NAME = 'bleed.json';

/** [track count, then per track its frame count and level byte count] as uint32, then the bytes in that order. */
export const packBleedInput = (tracks: readonly BleedTrackInput[]): Uint8Array => {
  const headerBytes = 4 * (1 + 2 * tracks.length);
  const total = headerBytes + tracks.reduce((n, t) => n + t.flags.length + t.levels.length, 0);
  const out = new Uint8Array(total);
  const header = new DataView(out.buffer);
  header.setUint32(0, tracks.length, true);
  let at = headerBytes;
  tracks.forEach((t, i) => {
    header.setUint32(4 + 8 * i, t.flags.length, true);
    header.setUint32(8 + 8 * i, t.levels.length, true);
    out.set(t.flags, at);
    out.set(t.levels, at + t.flags.length);
    at += t.flags.length + t.levels.length;
  });
  return out;
};

export const unpackBleedInput = (bytes: Uint8Array): BleedTrackInput[] => {
  const header = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = header.getUint32(0, true);
  let at = 4 * (1 + 2 * count);
  return Array.from({ length: count }, (_, i) => {
    const frames = header.getUint32(4 + 8 * i, true);
    const levels = header.getUint32(8 + 8 * i, true);
    const track = { flags: bytes.subarray(at, at + frames), levels: bytes.subarray(at + frames, at + frames + levels) };
    at += frames + levels;
    return track;
  });
};

/** The job's work: packed input → the result as JSON bytes. */
export const runBleedJob = (input: Uint8Array): Uint8Array => new TextEncoder().encode(JSON.stringify(analyseBleed(unpackBleedInput(input))));

export const parseBleedOutput = (bytes: Uint8Array): BleedResult => JSON.parse(new TextDecoder().decode(bytes)) as BleedResult;
