/**
 * The samples of a 16-bit mono WAV as a muxer writes it: the header first (ffmpeg's wav muxer
 * puts a LIST chunk before `data`, so its length varies), then the data in order, then a rewrite
 * of the header's size fields at the end — which is not audio and is ignored. Lets the speech
 * analyzer read a WAV render as it is written instead of ffmpeg making a second output.
 */
export type WavTap = { write(position: number, bytes: Uint8Array): void };

export const createWavTap = (onFormat: (sampleRateHz: number) => (samples: Uint8Array) => void): WavTap => {
  let header = new Uint8Array(0);
  let dataStart = -1;
  let next = -1;
  let sink: ((samples: Uint8Array) => void) | null = null;

  const parseHeader = () => {
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    const tag = (at: number) => String.fromCharCode(...header.subarray(at, at + 4));
    if (header.length < 12) return;
    if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('speech-wav output is not a RIFF/WAVE file');
    let rateHz = 0;
    for (let at = 12; at + 8 <= header.length; ) {
      const id = tag(at);
      const size = view.getUint32(at + 4, true);
      if (id === 'fmt ') {
        if (at + 24 > header.length) return;
        if (view.getUint16(at + 10, true) !== 1 || view.getUint16(at + 22, true) !== 16) throw new Error('speech-wav output must be 16-bit mono PCM');
        rateHz = view.getUint32(at + 12, true);
      }
      if (id === 'data') {
        dataStart = at + 8;
        next = dataStart;
        sink = onFormat(rateHz);
        return;
      }
      at += 8 + size + (size % 2);
    }
  };

  return {
    write(position, bytes) {
      if (dataStart < 0) {
        if (position !== header.length) return;
        const grown = new Uint8Array(header.length + bytes.length);
        grown.set(header);
        grown.set(bytes, header.length);
        header = grown;
        parseHeader();
        if (dataStart >= 0 && header.length > dataStart) sink!(header.subarray(dataStart));
        if (dataStart >= 0) next = header.length;
        return;
      }
      if (position !== next) return; // the size fields rewritten at the end
      next += bytes.length;
      sink!(bytes);
    },
  };
};
