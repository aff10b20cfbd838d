/**
 * The header of a RIFF/WAVE file, read from its first bytes: the format and where the samples
 * start. Chunks are walked, not assumed at fixed places: ffmpeg's WAV muxer writes a LIST chunk
 * (its encoder tag) between `fmt ` and `data`, so `data` does not start at byte 44. Pure.
 */
export type WavHeader = {
  /** 1 for integer PCM. */
  formatTag: number;
  channels: number;
  sampleRateHz: number;
  bitsPerSample: number;
  /** Byte offset of the first sample. */
  dataStart: number;
  /** The data chunk's declared size; a muxer that could not seek back leaves 0xFFFFFFFF or too much. */
  dataBytes: number;
};

/**
 * The header, `'incomplete'` when `head` ends before the data chunk's own header (read on), or
 * null when it is not RIFF/WAVE. The format fields are 0 if no `fmt ` chunk came before `data`.
 */
export const parseWavHeader = (head: Uint8Array): WavHeader | 'incomplete' | null => {
  if (head.length < 12) return 'incomplete';
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const tag = (at: number) => String.fromCharCode(head[at]!, head[at + 1]!, head[at + 2]!, head[at + 3]!);
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return null;
  const format = { formatTag: 0, channels: 0, sampleRateHz: 0, bitsPerSample: 0 };
  for (let at = 12; ; ) {
    if (at + 8 > head.length) return 'incomplete';
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ') {
      if (at + 24 > head.length) return 'incomplete';
      format.formatTag = view.getUint16(at + 8, true);
      format.channels = view.getUint16(at + 10, true);
      format.sampleRateHz = view.getUint32(at + 12, true);
      format.bitsPerSample = view.getUint16(at + 22, true);
    }
    if (id === 'data') return { ...format, dataStart: at + 8, dataBytes: size };
    at += 8 + size + (size % 2);
  }
};
