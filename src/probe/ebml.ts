/**
 * EBML variable-length integers (RFC 8794 §4), the one reader of Matroska/WebM element IDs and
 * sizes: the number of leading zero bits of the first byte gives the length (1–8 bytes). IDs
 * keep their length marker bit (that is how Matroska writes them, e.g. Cluster = 0x1F43B675);
 * sizes drop it, and a size of all ones means "unknown" (live-written Segments and Clusters).
 */
export type Vint = { value: number; length: number; unknown: boolean };

/** The vint at `at` in `bytes`, or null when malformed or cut off by the end of `bytes`. */
export const readVint = (bytes: Uint8Array, at: number, keepMarker: boolean, maxLength = 8): Vint | null =>
  readVintInto(bytes, at, keepMarker, { value: 0, length: 0, unknown: false }, maxLength);

/**
 * `readVint` writing into `into` (returned) instead of a new object: the WebM scan reads three
 * vints per packet, and their garbage was ~10% of `inspect` on an hour-long meeting (measured).
 */
export const readVintInto = (bytes: Uint8Array, at: number, keepMarker: boolean, into: Vint, maxLength = 8): Vint | null => {
  const first = bytes[at];
  if (first === undefined) return null;
  const length = Math.clz32(first) - 23; // leading zeros within the byte, +1
  if (length < 1 || length > maxLength || at + length > bytes.length) return null;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = (first & (0xff >> length)) === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const b = bytes[at + i]!;
    value = value * 256 + b;
    allOnes &&= b === 0xff;
  }
  into.value = value;
  into.length = length;
  into.unknown = !keepMarker && allOnes;
  return into;
};
