/**
 * A ByteSink (webm-writer.ts) that keeps the file in memory: the browser's renders, and any
 * output without a path. Patches only ever touch the first write (the file's header).
 */
import { concatBytes } from './ebml-write.ts';
import type { ByteSink } from './webm-writer.ts';

export type MemorySink = ByteSink & { bytes(): Uint8Array };

export const memorySink = (): MemorySink => {
  const parts: Uint8Array[] = [];
  return {
    write: async (bytes) => void parts.push(bytes),
    patch: async (position, bytes) => {
      const first = parts[0];
      if (!first || position + bytes.length > first.length) throw new RangeError('a patch must fall inside the first write');
      first.set(bytes, position);
    },
    bytes: () => concatBytes(parts),
  };
};
