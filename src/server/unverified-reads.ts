/**
 * Webhook bodies read before their signature is known (webhook-admission.ts, step 1): each under
 * the size cap and a deadline, at most `maxReads` at a time, holding at most `maxReadBytes`
 * together; at either cap the read that has waited longest is dropped (its socket closed), so slow
 * or stalled uploads cannot keep quick ones out.
 */
import type { H3Event } from 'h3';
import { readBoundedBody, type BoundedRead } from './bounded-body.ts';

/** Bodies read before their signature is known, at once. Generous: on a busy event loop many authentic reads wait their turn. */
export const DEFAULT_MAX_UNVERIFIED_READS = 512;
/** Bytes those reads may hold together: what unsigned uploads can cost in memory. */
export const DEFAULT_MAX_UNVERIFIED_BYTES = 64 * 1024 * 1024;

export type UnverifiedReadOptions = { maxReads: number; maxReadBytes: number; maxBodyBytes: number; bodyTimeoutMs: number };

/** A body reader under both caps; its reads fail with bounded-body.ts's BodyReadError. */
export const createUnverifiedReads = (options: UnverifiedReadOptions): ((event: H3Event) => Promise<Uint8Array>) => {
  const { maxReads, maxReadBytes, bodyTimeoutMs } = options;
  /** Reads under way, oldest first (a Set keeps insertion order). */
  const reads = new Set<BoundedRead>();

  const heldBytes = () => {
    let total = 0;
    for (const read of reads) total += read.receivedBytes;
    return total;
  };
  return async (event: H3Event): Promise<Uint8Array> => {
    // At a cap, the reads that have waited longest make room (a Set iterates oldest first).
    for (const oldest of reads) {
      if (reads.size < maxReads && heldBytes() + options.maxBodyBytes <= maxReadBytes) break;
      oldest.cancel();
      reads.delete(oldest);
    }
    const read = readBoundedBody(event, options.maxBodyBytes, bodyTimeoutMs);
    reads.add(read);
    try {
      return await read.bytes;
    } finally {
      reads.delete(read);
    }
  };
};
