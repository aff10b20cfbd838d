/**
 * A stored object as an HTTP answer, streamed, answering a byte-range request (RFC 9110 §14):
 * a media element asks for `Range: bytes=N-` and starts playing, or seeks, on the first bytes
 * instead of waiting for the whole file. One range: 206 with `Content-Range`; one past the end:
 * 416 with `Content-Range: bytes *\/size`; anything else (no header, several ranges, another unit,
 * a malformed one) the whole object, 200 — RFC 9110 §14.2 lets a server ignore a Range it does
 * not serve. Every answer says `Accept-Ranges: bytes`.
 */
import { Readable } from 'node:stream';
import { TracksError } from '../errors.ts';
import type { ByteRangeRequest } from '../storage/byte-range.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { apiError } from './errors.ts';

/** One `bytes` range of a `Range` header, or null to answer the whole object. */
export const parseRangeHeader = (header: string | null | undefined): ByteRangeRequest | null => {
  const match = header?.trim().match(/^bytes=(\d*)-(\d*)$/i);
  if (!match) return null;
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '' && last === '') return null;
  // Numbers past 2^53 would reach a store as `1e+21`: unreadable, answered whole like any other.
  if (![first, last].every((n) => n === '' || Number.isSafeInteger(Number(n)))) return null;
  if (first === '') return { suffixBytes: Number(last) };
  const start = Number(first);
  if (last === '') return { start };
  const end = Number(last);
  // first > last is invalid syntax (§14.1.1): ignored, as an unreadable header.
  return end < start ? null : { start, end };
};

/** The object at `key`, whole or the part `rangeHeader` asks for. */
export const fileAnswer = async (
  store: ObjectStore,
  key: string,
  contentType: string,
  rangeHeader: string | null | undefined,
  headers: Record<string, string> = {},
) => {
  const range = parseRangeHeader(rangeHeader);
  const common = { 'content-type': contentType, 'accept-ranges': 'bytes', ...headers };
  try {
    const object = await store.get(key, range ?? undefined);
    const body = Readable.toWeb(object.body) as ReadableStream;
    if (!object.span) return new Response(body, { headers: { ...common, 'content-length': String(object.sizeBytes) } });
    const { start, end, totalBytes } = object.span;
    return new Response(body, {
      status: 206,
      headers: { ...common, 'content-length': String(end - start + 1), 'content-range': `bytes ${start}-${end}/${totalBytes}` },
    });
  } catch (error) {
    if (!TracksError.isError(error, 'STORAGE_RANGE_UNSATISFIABLE')) throw error;
    const answer = apiError(416, 'RANGE_NOT_SATISFIABLE', `${rangeHeader} is past the end of the file (${error.data.totalBytes} bytes)`);
    answer.headers.set('content-range', `bytes */${error.data.totalBytes}`);
    answer.headers.set('accept-ranges', 'bytes');
    return answer;
  }
};
