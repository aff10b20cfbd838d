/**
 * A chunk's audio, from a track decoded to 16 kHz mono s16le PCM on disk (sample 0 = meeting time
 * 0, as rendered tracks start): each piece's samples read straight from the file, separators as
 * zeros, behind a 44-byte WAV header. Sample-exact, so chunk time maps back to meeting time
 * exactly, and nothing but the chunk is held in memory.
 */
import type { FileHandle } from 'node:fs/promises';
import { parseWavHeader } from '../probe/wav-header.ts';
import type { Chunk } from './chunk-plan.ts';

export const CHUNK_SAMPLE_RATE_HZ = 16000;
const BYTES_PER_MS = (CHUNK_SAMPLE_RATE_HZ * 2) / 1000;

const wavHeader = (dataBytes: number): Uint8Array => {
  const header = new Uint8Array(44);
  const view = new DataView(header.buffer);
  const ascii = (at: number, text: string) => {
    for (let i = 0; i < text.length; i++) view.setUint8(at + i, text.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, CHUNK_SAMPLE_RATE_HZ, true);
  view.setUint32(28, CHUNK_SAMPLE_RATE_HZ * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  return header;
};

/**
 * The chunk as a WAV file; `pcm` holds the track as 16 kHz mono s16le from meeting time 0,
 * starting `dataOffsetBytes` into the file (0 for a decoded .pcm, the data chunk of a WAV render).
 */
export const chunkWav = async (pcm: FileHandle, chunk: Chunk, dataOffsetBytes = 0): Promise<Uint8Array> => {
  const dataBytes = Math.round(chunk.durationMs * BYTES_PER_MS);
  const wav = new Uint8Array(44 + dataBytes);
  wav.set(wavHeader(dataBytes));
  for (const piece of chunk.pieces) {
    const at = 44 + Math.round(piece.chunkStartMs * BYTES_PER_MS);
    const from = dataOffsetBytes + Math.round(piece.meetingStartMs * BYTES_PER_MS);
    const length = Math.min(Math.round((piece.meetingEndMs - piece.meetingStartMs) * BYTES_PER_MS), wav.length - at);
    // Past the file's end (a track shorter than its timeline end by rounding) stays silence.
    await pcm.read(wav, at, length, from);
  }
  return wav;
};

/**
 * Where the samples of a WAV render start, if it already is what chunks are cut from (16 kHz,
 * mono, 16-bit PCM: `--track-format wav`), so it is read in place instead of decoded again; null
 * for anything else.
 */
export const wavChunkSource = async (file: FileHandle): Promise<number | null> => {
  const { buffer, bytesRead } = await file.read(new Uint8Array(4096), 0, 4096, 0);
  const header = parseWavHeader(buffer.subarray(0, bytesRead));
  if (header === null || header === 'incomplete') return null;
  const pcm16kMono = header.formatTag === 1 && header.channels === 1 && header.sampleRateHz === CHUNK_SAMPLE_RATE_HZ && header.bitsPerSample === 16;
  return pcm16kMono ? header.dataStart : null;
};
