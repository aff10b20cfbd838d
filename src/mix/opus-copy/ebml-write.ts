/**
 * The few EBML encodings a WebM writer needs (RFC 8794): element IDs as Matroska spells them
 * (marker bit kept), sizes as variable-length integers, and unsigned, float, string and binary
 * payloads. The reader side is src/probe/ebml.ts.
 */

/** An element ID's bytes (e.g. 0x1F43B675 → 1F 43 B6 75). */
const idBytes = (id: number): number[] => {
  const bytes: number[] = [];
  for (let v = id; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return bytes;
};

/** `value` as a size vint of `length` bytes (default: the shortest that holds it). */
export const sizeVint = (value: number, length?: number): Uint8Array => {
  let n = length ?? 1;
  // 2^(7n) - 1 is reserved for "unknown", so a size must stay below it.
  while (length === undefined && value >= 2 ** (7 * n) - 1) n++;
  const bytes = new Uint8Array(n);
  let v = value;
  for (let i = n - 1; i >= 0; i--) {
    bytes[i] = v % 256;
    v = Math.floor(v / 256);
  }
  bytes[0]! |= 0x80 >> (n - 1);
  return bytes;
};

/** Concatenation of byte arrays. */
export const concatBytes = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

/** An element with its payload. */
export const element = (id: number, ...payload: readonly Uint8Array[]): Uint8Array => {
  const body = concatBytes(payload);
  return concatBytes([Uint8Array.from(idBytes(id)), sizeVint(body.length), body]);
};

/** An unsigned integer payload in `width` bytes (default: the fewest that hold it). */
export const uintBytes = (value: number, width?: number): Uint8Array => {
  let n = width ?? 1;
  while (width === undefined && value >= 2 ** (8 * n)) n++;
  const bytes = new Uint8Array(n);
  let v = value;
  for (let i = n - 1; i >= 0; i--) {
    bytes[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return bytes;
};

export const uintElement = (id: number, value: number, width?: number): Uint8Array => element(id, uintBytes(value, width));

export const float64Bytes = (value: number): Uint8Array => {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, value);
  return bytes;
};

export const floatElement = (id: number, value: number): Uint8Array => element(id, float64Bytes(value));

export const stringElement = (id: number, value: string): Uint8Array => element(id, new TextEncoder().encode(value));

/** An element header with an 8-byte size field, to be rewritten once the size is known. */
export const patchableHeader = (id: number, size: number): Uint8Array => concatBytes([Uint8Array.from(idBytes(id)), sizeVint(size, 8)]);
