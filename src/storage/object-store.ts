/**
 * One small interface for the three buckets (transcript output, Whereby and Daily input): S3 in
 * production, a local directory as the embedded default. Bodies stream; nothing here buffers a
 * whole recording.
 */
import type { Readable } from 'node:stream';
import type { ByteRangeRequest, ByteSpan } from './byte-range.ts';

export type ObjectInfo = { key: string; sizeBytes: number; lastModified: Date; contentType?: string };

export type PutOptions = { contentType?: string };

export interface ObjectStore {
  readonly bucket: string;
  /**
   * The object's bytes as a stream; throws `STORAGE_NOT_FOUND`. With `range`, only those bytes
   * (`sizeBytes` is then theirs, `span` where they sit), or `STORAGE_RANGE_UNSATISFIABLE` (its
   * `data.totalBytes`: the object's size) when the range covers none of the object.
   */
  get(key: string, range?: ByteRangeRequest): Promise<{ body: Readable; sizeBytes: number; contentType?: string; span?: ByteSpan }>;
  /** Stores a stream or bytes (S3: multipart for large bodies); resolves once it is durable. */
  put(key: string, body: Readable | Uint8Array, options?: PutOptions): Promise<{ sizeBytes: number }>;
  /** Metadata, or null when there is no such object. */
  head(key: string): Promise<ObjectInfo | null>;
  /** Deleting a missing object is not an error (S3 semantics). */
  delete(key: string): Promise<void>;
  /** Every object whose key starts with `prefix`, across all pages. */
  list(prefix: string): AsyncIterable<ObjectInfo>;
  /** Resolves when the bucket exists and answers; throws `STORAGE_FAILED` saying why not. */
  checkBucket(): Promise<void>;
  /** A URL that fetches the object without credentials until it expires. */
  presignGet(key: string, expiresSec: number): Promise<string>;
}
