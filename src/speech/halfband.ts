/**
 * 16 kHz → 8 kHz for the speech analyzer: a 15-tap halfband low-pass (cut-off 4 kHz; its odd
 * taps but the centre are zero, so 8 multiplies per output sample), then every other sample.
 * Streaming: the last 14 input samples carry over between calls.
 */
// Taps: -0.0054, 0, 0.0288, 0, -0.09, 0, 0.3166, 0.5, 0.3166, 0, -0.09, 0, 0.0288, 0, -0.0054 — a
// windowed-sinc halfband of gain 1 (https://en.wikipedia.org/wiki/Half-band_filter).
const SPAN = 14;

export const createHalfbandDecimator = () => {
  let carry = new Int16Array(SPAN); // starts as silence before the first sample
  let odd = false; // the next output falls on the second input sample
  return (input: Int16Array): Int16Array => {
    const buf = new Int16Array(SPAN + input.length);
    buf.set(carry);
    buf.set(input, SPAN);
    const out = new Int16Array(Math.ceil(input.length / 2) + 1);
    let n = 0;
    for (let end = SPAN + (odd ? 1 : 0); end < buf.length; end += 2) {
      const at = end - SPAN;
      const sum =
        0.5 * buf[at + 7]! +
        0.3166 * (buf[at + 6]! + buf[at + 8]!) -
        0.09 * (buf[at + 4]! + buf[at + 10]!) +
        0.0288 * (buf[at + 2]! + buf[at + 12]!) -
        0.0054 * (buf[at]! + buf[at + 14]!);
      out[n++] = Math.max(-32768, Math.min(32767, Math.round(sum)));
    }
    odd = odd !== (input.length % 2 === 1);
    carry = buf.slice(buf.length - SPAN);
    return out.subarray(0, n);
  };
};
