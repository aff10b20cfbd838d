/**
 * The WAV header walk shared by the speech tap, the transcription's chunk source and the tests'
 * reader: chunks before `data` (ffmpeg's LIST) skipped, a header cut short reported as such.
 */
import { describe, expect, it } from 'vitest';
import { parseWavHeader } from '../../src/probe/wav-header.ts';

// RIFF, fmt (PCM, mono, 16 kHz, 16-bit), an odd-sized LIST chunk (padded to even), then data.
const wav = (() => {
  const bytes = new Uint8Array(12 + 24 + 8 + 5 + 1 + 8 + 4);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, text: string) => bytes.set(new TextEncoder().encode(text), at);
  ascii(0, 'RIFF');
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, 16000, true);
  view.setUint16(34, 16, true);
  ascii(36, 'LIST');
  view.setUint32(40, 5, true);
  ascii(50, 'data');
  view.setUint32(54, 4, true);
  return bytes;
})();

describe('WAV header', () => {
  it('walks past other chunks (an odd size is padded) to the data', () => {
    expect(parseWavHeader(wav)).toEqual({ formatTag: 1, channels: 1, sampleRateHz: 16000, bitsPerSample: 16, dataStart: 58, dataBytes: 4 });
  });

  it('says incomplete for every cut before the data chunk header, and null for what is not RIFF/WAVE', () => {
    for (let n = 0; n < 58; n++) expect(parseWavHeader(wav.subarray(0, n))).toBe('incomplete');
    expect(parseWavHeader(new TextEncoder().encode('OggS and then some bytes'))).toBeNull();
  });
});
