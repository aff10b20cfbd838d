/**
 * Copied renders on disk (Node): sources read in place through a file handle, renders written
 * straight to their output path, as the engine's workers write theirs.
 */
import { open, rm } from 'node:fs/promises';
import { fileByteReader } from '../probe/file-byte-reader.ts';
import { memoryCopyIo, type CopyIo } from './copy-io.ts';

export const nodeCopyIo: CopyIo = {
  open: async (source) => {
    if (!('path' in source)) return memoryCopyIo.open(source);
    const handle = await open(source.path, 'r');
    return { reader: fileByteReader(handle, (await handle.stat()).size), close: () => handle.close() };
  },
  create: async (output) => {
    const { path } = output;
    if (!path) return memoryCopyIo.create(output);
    const handle = await open(path, 'w');
    let closed = false;
    const close = async () => {
      if (!closed) await handle.close();
      closed = true;
    };
    let at = 0;
    return {
      write: async (bytes) => {
        await handle.write(bytes, 0, bytes.length, at);
        at += bytes.length;
      },
      patch: async (position, bytes) => void (await handle.write(bytes, 0, bytes.length, position)),
      done: async (sizeBytes) => {
        await close();
        return { name: output.name, sizeBytes, path };
      },
      discard: async () => {
        await close();
        await rm(path, { force: true });
      },
    };
  },
};
