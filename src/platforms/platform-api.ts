/**
 * One JSON call to a platform's REST API (Daily, Whereby): bearer key, 30 s timeout, the answer
 * validated with its schema; any failure is `PLATFORM_API_FAILED` naming the platform, the call
 * and what came back (a 502 from our API).
 */
import type { z } from 'zod';
import { TracksError } from '../errors.ts';

export type PlatformApi = { apiUrl: string; apiKey: string; fetch?: typeof fetch };

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
    throw new TracksError('PLATFORM_API_FAILED', `${what} failed: ${(cause as Error).message}`, { cause });
  }
  const text = await response.text();
  if (!response.ok) throw new TracksError('PLATFORM_API_FAILED', `${what} answered ${response.status}: ${text.slice(0, 300)}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TracksError('PLATFORM_API_FAILED', `${what}: the answer is not JSON (${text.slice(0, 100)}).`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new TracksError('PLATFORM_API_FAILED', `${what}: unexpected response (${parsed.error.issues[0]?.message}).`);
  return parsed.data;
};
