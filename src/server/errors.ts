/**
 * Every API error has one shape: `{ "error": { "code": "...", "message": "..." } }`, with the
 * project's stable codes (TracksError) or HTTP-derived ones (NOT_FOUND, BAD_REQUEST, …).
 */
import type { HTTPError, H3Event } from 'h3';
import { TracksError, type ErrorCode } from '../errors.ts';

const STATUS: Partial<Record<ErrorCode, number>> = {
  STORAGE_NOT_FOUND: 404,
  STORAGE_BAD_KEY: 400,
  USAGE: 400,
  PLATFORM_API_FAILED: 502,
  NOT_FOUND: 404,
  RECORDING_BUSY: 409,
  RECORDING_RAW_GONE: 409,
  RECORDING_NOTHING_TO_DO: 409,
};

export const jsonResponse = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export const apiError = (status: number, code: string, message: string) => jsonResponse(status, { error: { code, message } });

export const notFound = (what: string) => apiError(404, 'NOT_FOUND', `${what} not found`);

const CODES: Record<number, string> = { 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED', 413: 'PAYLOAD_TOO_LARGE' };

/** h3 `onError`: maps anything thrown in a handler to the error shape (no stack traces out). */
export const errorResponse = (error: HTTPError, _event: H3Event): Response => {
  const cause = (error as { cause?: unknown }).cause;
  // `data.publicMessage`: the message is for our logs (an upstream's answer, say), this for the caller.
  if (TracksError.isError(cause))
    return apiError(STATUS[cause.code] ?? 500, cause.code, typeof cause.data.publicMessage === 'string' ? cause.data.publicMessage : cause.message);
  const status = error.status ?? 500;
  const code = CODES[status] ?? (status < 500 ? 'BAD_REQUEST' : 'INTERNAL');
  return apiError(status, code, status >= 500 ? 'internal error' : error.message);
};
