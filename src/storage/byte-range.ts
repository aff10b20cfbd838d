/**
 * Part of an object: the one byte range an HTTP client asked for (RFC 9110 §14.1.2: `first-last`,
 * `first-` or the last N bytes), resolved against the object's size by the store that holds it
 * (the local store here, S3 by its own GetObject `Range`).
 */

/** A requested range, not yet resolved: `end` inclusive and clamped to the object, or the last `suffixBytes`. */
export type ByteRangeRequest = { start: number; end?: number } | { suffixBytes: number };

/** What a ranged read answered: its first and last byte (inclusive) and the whole object's size. */
export type ByteSpan = { start: number; end: number; totalBytes: number };

/** The span `range` covers in an object of `totalBytes`, or null when it covers none of it (416). */
export const resolveRange = (range: ByteRangeRequest, totalBytes: number): ByteSpan | null => {
  if ('suffixBytes' in range) {
    if (range.suffixBytes <= 0 || totalBytes === 0) return null;
    return { start: Math.max(0, totalBytes - range.suffixBytes), end: totalBytes - 1, totalBytes };
  }
  if (range.start >= totalBytes) return null;
  return { start: range.start, end: Math.min(totalBytes - 1, range.end ?? Number.POSITIVE_INFINITY), totalBytes };
};

/** The range as an HTTP `Range` header value, what S3's GetObject takes. */
export const rangeHeaderOf = (range: ByteRangeRequest): string =>
  'suffixBytes' in range ? `bytes=-${range.suffixBytes}` : `bytes=${range.start}-${range.end ?? ''}`;

/** A `Content-Range: bytes first-last/total` value read back (S3's answer), or null. */
export const parseContentRange = (value: string | undefined): ByteSpan | null => {
  const match = value?.match(/^bytes (\d+)-(\d+)\/(\d+)$/);
  return match ? { start: Number(match[1]), end: Number(match[2]), totalBytes: Number(match[3]) } : null;
};
