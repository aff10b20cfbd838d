/**
 * One JSON call to a platform's REST API (Daily, Whereby): bearer key, 30 s timeout, the answer
 * validated with its schema; any failure is `PLATFORM_API_FAILED` naming the platform, the call
 * and what came back (a 502 from our API). What came back is for our logs only (the message);
 * the caller is told the call and its status (`data.publicMessage`, server/errors.ts): a
 * platform's error body may name our account, rooms or keys (issue 24).
 */
import type { z } from 'zod';
import { TracksError } from '../errors.ts';

export type PlatformApi = { apiUrl: string; apiKey: string; fetch?: typeof fetch };

const failed = (logged: string, publicMessage: string, cause?: unknown) =>
  new TracksError('PLATFORM_API_FAILED', logged, { data: { publicMessage }, ...(cause === undefined ? {} : { cause }) });

export const callPlatformApi = async <T>(platform: string, api: PlatformApi, path: string, schema: z.ZodType<T>, init: RequestInit = {}): Promise<T> => {
  const what = `${platform} API ${init.method ?? 'GET'} ${path}`;
  let response: Response;
  try {
    response = await (api.fetch ?? fetch)(`${api.apiUrl.replace(/\/$/, '')}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${api.apiKey}`, 'content-type': 'application/json', ...init.headers },
      signal: init.signal ?? AbortSignal.timeout(30_000),
    });
  } catch (cause) {
    throw failed(`${what} failed: ${(cause as Error).message}`, `${what} failed`, cause);
  }
  const text = await response.text();
  if (!response.ok) throw failed(`${what} answered ${response.status}: ${text.slice(0, 300)}`, `${what} answered ${response.status}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw failed(`${what}: the answer is not JSON (${text.slice(0, 100)}).`, `${what}: the answer is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw failed(`${what}: unexpected response (${parsed.error.issues[0]?.message}).`, `${what}: unexpected response`);
  return parsed.data;
};
