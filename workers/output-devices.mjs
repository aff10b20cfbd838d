// @ts-check
/**
 * The worker's output devices (ffmpeg-worker.mjs): where an output goes instead of MEMFS — a file
 * on disk (written as ffmpeg writes, optionally also read by the speech analyzer), or the speech
 * analyzer alone. Plain JavaScript like the worker; the speech modules are TypeScript run by Node's
 * type stripping.
 */
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { createSpeechAnalyzer } from '../src/speech/speech-analyzer.ts';

/** @typedef {Awaited<ReturnType<typeof import('../src/speech/fvad.ts').loadFvad>>} FvadModule */

/**
 * An output with a `path` is a character device whose writes go straight to that file, so an
 * hour of WAV never sits in MEMFS (MEMFS grows a file by copying it: twice its size at peaks).
 * A device rather than a MEMFS file because FS.open drops O_TRUNC for devices, which ffmpeg's
 * file protocol always passes; seeks are supported, since muxers patch headers at the end.
 * With `tap`, every write is also handed to it (a speech-wav output's analysis).
 * @param {any} FS @param {string} name @param {string} path @param {number} index
 * @param {{ write(position: number, bytes: Uint8Array): void }} [tap]
 */
export const diskOutput = (FS, name, path, index, tap) => {
  const fd = openSync(path, 'w');
  let sizeBytes = 0;
  let opened = false;
  const dev = FS.makedev(64, index);
  FS.registerDevice(dev, {
    open: () => {
      opened = true;
    },
    read: (
      /** @type {any} */ _s,
      /** @type {Int8Array} */ buffer,
      /** @type {number} */ offset,
      /** @type {number} */ length,
      /** @type {number} */ position,
    ) => readSync(fd, buffer, offset, length, position),
    write: (
      /** @type {any} */ _s,
      /** @type {Int8Array} */ buffer,
      /** @type {number} */ offset,
      /** @type {number} */ length,
      /** @type {number} */ position,
    ) => {
      let done = 0;
      while (done < length) done += writeSync(fd, buffer, offset + done, length - done, position + done);
      sizeBytes = Math.max(sizeBytes, position + length);
      tap?.write(position, new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length));
      return length;
    },
    llseek: (/** @type {{position: number}} */ stream, /** @type {number} */ offset, /** @type {number} */ whence) => {
      const position = (whence === 1 ? stream.position : whence === 2 ? sizeBytes : 0) + offset;
      if (position < 0) throw new FS.ErrnoError(28); // EINVAL
      return position;
    },
  });
  FS.mkdev(`/work/${name}`, 0o666, dev);
  return {
    /** Closes the file; removes it if ffmpeg never opened it or failed (no half-written outputs). @param {boolean} keep */
    finish: (keep) => {
      closeSync(fd);
      if (!keep || !opened) unlinkSync(path);
      return keep && opened ? sizeBytes : null;
    },
  };
};

/**
 * An `analyze: 'speech'` output: a write-only device whose bytes go to the speech analyzer as
 * ffmpeg writes them (raw s16le is written in order, never sought), so no PCM is kept anywhere.
 * @param {any} FS @param {string} name @param {number} index @param {FvadModule} fvad
 */
export const speechOutput = (FS, name, index, fvad) => {
  const analyzer = createSpeechAnalyzer(fvad);
  let opened = false;
  const dev = FS.makedev(65, index);
  FS.registerDevice(dev, {
    open: () => {
      opened = true;
    },
    write: (/** @type {any} */ _s, /** @type {Int8Array} */ buffer, /** @type {number} */ offset, /** @type {number} */ length) => {
      analyzer.push(new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length));
      return length;
    },
  });
  FS.mkdev(`/work/${name}`, 0o666, dev);
  return {
    /** The analysis (frames and their levels), if ffmpeg succeeded and wrote the output. @param {boolean} keep */
    finish: (keep) => {
      const frames = analyzer.finish();
      return keep && opened ? { frames, levels: analyzer.levels() } : null;
    },
  };
};
