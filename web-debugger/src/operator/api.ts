/**
 * The operator view's one door to the API: same-origin calls under /v1 that the browser
 * authenticates with the session cookie (never a bearer token in the page). Writes carry the
 * header the server asks of cookie-authenticated writes (src/server/guard.ts, CSRF).
 */
export class ApiFailure extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The API's URL for `path` (`recordings/…`), relative to the page: /debugger/ → /v1/. */
export const apiUrl = (path: string) => new URL(`../v1/${path}`, location.href);

export const api = async <T>(path: string, init: { method?: 'GET' | 'POST' | 'DELETE'; body?: unknown } = {}): Promise<T> => {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-requested-with'] = 'reflector-tracks';
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(apiUrl(path), {
    method,
    headers,
    credentials: 'same-origin',
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  const json = text ? (JSON.parse(text) as unknown) : null;
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiFailure(response.status, error?.code ?? `HTTP_${response.status}`, error?.message ?? response.statusText);
  }
  return json as T;
};

/** `CODE: message` of a failure, the way the inspector shows errors (summary.ts showError). */
export const describeFailure = (error: unknown) =>
  error instanceof ApiFailure ? `${error.code}: ${error.message}` : String((error as Error)?.message ?? error);
