/**
 * A request body read under a size cap and a deadline, straight from Node's request stream
 * (no web-stream wrapping per request). It fails fast and says why: over the cap (413, at a
 * declared `content-length` before reading a byte, else as soon as the stream passes the cap),
 * too slow (408), the client gone (aborted), or cancelled by its owner (to make room for others).
 * Outside Node (`app.request` in tests) the web body is read under the same cap and deadline.
 */
import type { IncomingMessage } from 'node:http';
import type { H3Event } from 'h3';
import { readBodyBytes } from './guard.ts';

export type BodyFailure = 'too-large' | 'too-slow' | 'client-gone' | 'cancelled';

export class BodyReadError extends Error {
  readonly failure: BodyFailure;
  constructor(failure: BodyFailure, message: string) {
    super(message);
    this.failure = failure;
  }
}

/** The body's bytes once complete; `receivedBytes` so far; `cancel()` drops the read and closes its socket. */
export type BoundedRead = { bytes: Promise<Uint8Array>; readonly receivedBytes: number; cancel(): void };

const nodeRequestOf = (event: H3Event): IncomingMessage | undefined => (event.runtime?.node as { req?: IncomingMessage } | undefined)?.req;

export const readBoundedBody = (event: H3Event, limitBytes: number, timeoutMs: number): BoundedRead => {
  const declared = Number(event.req.headers.get('content-length'));
  if (declared > limitBytes)
    return { bytes: Promise.reject(new BodyReadError('too-large', `body over ${limitBytes} bytes`)), receivedBytes: 0, cancel: () => {} };
  const req = nodeRequestOf(event);
  let fail: (error: BodyReadError) => void = () => {};
  let size = 0;
  const bytes = new Promise<Uint8Array>((resolve, reject) => {
    const timer = setTimeout(() => fail(new BodyReadError('too-slow', `body not received within ${timeoutMs} ms`)), timeoutMs);
    let settled = false;
    const finish = () => {
      settled = true;
      clearTimeout(timer);
      req?.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onClose);
    };
    fail = (error) => {
      if (settled) return;
      finish();
      // Not one byte more: the answer closes the connection (closeUnlessBodyRead).
      req?.pause();
      reject(error);
    };
    if (!req) {
      readBodyBytes(event, limitBytes).then(
        (body) => {
          if (settled) return;
          finish();
          resolve(body);
        },
        (error: { status?: number; message?: string }) =>
          fail(new BodyReadError(error.status === 413 ? 'too-large' : 'client-gone', error.message ?? 'body not readable')),
      );
      return;
    }
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) return fail(new BodyReadError('too-large', `body over ${limitBytes} bytes`));
      chunks.push(chunk);
    };
    const onEnd = () => {
      if (settled) return;
      finish();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onGone = () => fail(new BodyReadError('client-gone', 'the client closed the connection before the body ended'));
    const onClose = () => {
      if (!req.readableEnded) onGone();
    };
    if (req.destroyed || req.readableEnded) return onGone();
    req.on('data', onData).on('end', onEnd).on('error', onGone).on('close', onClose);
  });
  return {
    bytes,
    get receivedBytes() {
      return size;
    },
    cancel: () => {
      fail(new BodyReadError('cancelled', 'body read cancelled'));
      req?.socket?.destroy();
    },
  };
};
