/**
 * S3 (or an S3-compatible store) behind the ObjectStore interface. Large bodies go up as
 * multipart uploads through @aws-sdk/lib-storage's Upload (streams of unknown length, parts in
 * parallel). Checksums are computed only where S3 requires them: S3-compatible stores
 * (MinIO, R2, older Ceph, the emulators) mishandle the SDK's default aws-chunked trailers
 * (measured with s3rver: a stream body was stored corrupted; test/storage/object-store.test.ts streams through the emulator).
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Readable } from 'node:stream';
import { TracksError } from '../errors.ts';
import type { ObjectInfo, ObjectStore, PutOptions } from './object-store.ts';
import { awsRequestHandler, type AwsTimeouts } from './aws-timeouts.ts';
import { parseContentRange, rangeHeaderOf, resolveRange, type ByteRangeRequest, type ByteSpan } from './byte-range.ts';

export type S3Config = {
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** For S3-compatible stores; switches to path-style addressing. */
  endpoint?: string;
  /** Defaults: aws-timeouts.ts. */
  timeouts?: AwsTimeouts;
};

export const createS3Client = (config: S3Config): S3Client =>
  new S3Client({
    region: config.region,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    ...(config.endpoint ? { endpoint: config.endpoint, forcePathStyle: true } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: awsRequestHandler(config.timeouts),
  });

const notFound = (error: unknown) =>
  error instanceof S3ServiceException && (error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata.httpStatusCode === 404);

export class S3ObjectStore implements ObjectStore {
  readonly bucket: string;
  readonly #client: S3Client;

  constructor(client: S3Client, bucket: string) {
    this.#client = client;
    this.bucket = bucket;
  }

  async get(key: string, range?: ByteRangeRequest, retried = false): Promise<{ body: Readable; sizeBytes: number; contentType?: string; span?: ByteSpan }> {
    try {
      // The range goes to S3 as asked (its answer says where it resolved it): the bytes outside it never leave S3.
      const out = await this.#client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(range ? { Range: rangeHeaderOf(range) } : {}) }));
      const span = range ? parseContentRange(out.ContentRange) : null;
      return { body: out.Body as Readable, sizeBytes: out.ContentLength ?? 0, contentType: out.ContentType, ...(span ? { span } : {}) };
    } catch (error) {
      if (range && error instanceof S3ServiceException && (error.name === 'InvalidRange' || error.$metadata.httpStatusCode === 416)) {
        const totalBytes = (await this.head(key))?.sizeBytes ?? 0;
        // Some S3-compatible stores (the fauxqs emulator) refuse a suffix longer than the object, which
        // RFC 9110 §14.1.2 serves whole: asked again as the span it resolves to.
        const span = resolveRange(range, totalBytes);
        // Once: a store that refuses the resolved span too is answered as unsatisfiable, not asked forever.
        if (span && !retried) return this.get(key, { start: span.start, end: span.end }, true);
        throw new TracksError('STORAGE_RANGE_UNSATISFIABLE', `No byte of ${key} in ${rangeHeaderOf(range)} (${totalBytes} bytes).`, {
          data: { bucket: this.bucket, key, totalBytes },
        });
      }
      throw this.#wrap(error, key, 'get');
    }
  }

  async put(key: string, body: Readable | Uint8Array, options: PutOptions = {}) {
    try {
      let sizeBytes = 0;
      const counted =
        body instanceof Uint8Array
          ? body
          : body.on('data', (chunk: Buffer) => {
              sizeBytes += chunk.length;
            });
      await new Upload({
        client: this.#client,
        params: { Bucket: this.bucket, Key: key, Body: counted, ContentType: options.contentType },
        partSize: 8 * 1024 * 1024,
        queueSize: 4,
        leavePartsOnError: false,
      }).done();
      return { sizeBytes: body instanceof Uint8Array ? body.length : sizeBytes };
    } catch (error) {
      throw this.#wrap(error, key, 'put');
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const out = await this.#client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { key, sizeBytes: out.ContentLength ?? 0, lastModified: out.LastModified ?? new Date(0), contentType: out.ContentType };
    } catch (error) {
      if (notFound(error)) return null;
      throw this.#wrap(error, key, 'head');
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.#client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      throw this.#wrap(error, key, 'delete');
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    let token: string | undefined;
    do {
      const page = await this.#client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of page.Contents ?? []) yield { key: o.Key!, sizeBytes: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) };
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async checkBucket(): Promise<void> {
    try {
      await this.#client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (cause) {
      const status = (cause as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      throw new TracksError(
        'STORAGE_FAILED',
        `bucket ${this.bucket}: ${status === 404 ? 'does not exist' : status === 403 ? 'access denied' : (cause as Error).message || (cause as Error).name}`,
        { cause },
      );
    }
  }

  presignGet(key: string, expiresSec: number): Promise<string> {
    return getSignedUrl(this.#client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: expiresSec });
  }

  #wrap(error: unknown, key: string, op: string): TracksError {
    if (notFound(error)) return new TracksError('STORAGE_NOT_FOUND', `No object ${key} in ${this.bucket}.`, { data: { bucket: this.bucket, key } });
    return new TracksError('STORAGE_FAILED', `S3 ${op} of ${this.bucket}/${key} failed: ${(error as Error).message}`, {
      cause: error,
      data: { bucket: this.bucket, key },
    });
  }
}
