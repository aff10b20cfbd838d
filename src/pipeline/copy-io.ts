/**
 * Where a copied render (src/mix/opus-copy/) reads its source and writes its file. The pipeline
 * is environment-free, so this default serves what the browser has — Blobs and bytes in, bytes
 * out; the Node edge (copy-io-node.ts) adds files on disk.
 */
import type { EngineInput, EngineOutput, RunOutput } from '../engine/engine.ts';
import { blobByteReader, bytesByteReader, type ByteReader } from '../probe/byte-reader.ts';
import { memorySink } from '../mix/opus-copy/memory-sink.ts';
import type { ByteSink } from '../mix/opus-copy/webm-writer.ts';

export type CopySource = { reader: ByteReader; close(): Promise<void> };
/** A render being written: `done` closes it as the pipeline's output, `discard` removes it. */
export type CopyTarget = ByteSink & { done(sizeBytes: number): Promise<RunOutput>; discard(): Promise<void> };
export type CopyIo = { open(source: EngineInput): Promise<CopySource>; create(output: EngineOutput): Promise<CopyTarget> };

export const memoryCopyIo: CopyIo = {
  open: async (source) => {
    if (!('data' in source)) throw new Error(`${source.name}: a file path needs the Node copy I/O (pipeline/copy-io-node.ts)`);
    const reader = source.data instanceof Uint8Array ? bytesByteReader(source.data) : blobByteReader(source.data);
    return { reader, close: async () => {} };
  },
  create: async (output) => {
    const sink = memorySink();
    return {
      ...sink,
      done: async (sizeBytes) => ({ name: output.name, sizeBytes, bytes: sink.bytes() }),
      discard: async () => {},
    };
  },
};
