/**
 * Random access to a file's bytes, the one thing the WebM scanner needs: a file handle in Node,
 * `Blob.slice` in the browser.
 */
export type ByteReader = {
  readonly sizeBytes: number;
  /** Up to `length` bytes from `offset` (fewer at the end of the file). */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Like `read`, for a sequential scan: the bytes are only valid until the next `readChunk`, which
   * may reuse their memory. Optional; scans fall back to `read`.
   */
  readChunk?(offset: number, length: number): Promise<Uint8Array>;
};

export const blobByteReader = (blob: Blob): ByteReader => ({
  sizeBytes: blob.size,
  read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
});

export const bytesByteReader = (bytes: Uint8Array): ByteReader => ({
  sizeBytes: bytes.length,
  read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
});
