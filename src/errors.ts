/**
 * The project's one error class. Every failure carries a stable string `code` and plain `data`
 * so that it survives structured cloning across worker boundaries, where `instanceof` and custom
 * fields are lost (comlink rebuilds errors from `{ message, name, stack }` only).
 */
export type ErrorCode =
  // engine
  | 'ENGINE_ASSET_MISSING'
  | 'ENGINE_ASSET_MISMATCH'
  | 'ENGINE_TIMEOUT'
  | 'ENGINE_ABORTED'
  | 'ENGINE_WORKER_CRASHED'
  | 'ENGINE_CLOSED'
  | 'ENGINE_BAD_REQUEST'
  | 'ENGINE_COMMAND_FAILED'
  // media / pipeline
  | 'MEDIA_UNREADABLE'
  | 'MEDIA_NO_AUDIO'
  | 'MEDIA_RENDER_FAILED'
  | 'MEDIA_MIX_FAILED'
  | 'PIPELINE_NO_TRACKS'
  | 'PEAKS_INVALID'
  // transcription
  | 'TRANSCRIPTION_FAILED'
  | 'TRANSCRIPTION_UNAVAILABLE'
  // storage
  | 'STORAGE_NOT_FOUND'
  | 'STORAGE_BAD_KEY'
  | 'STORAGE_FAILED'
  | 'STORAGE_RANGE_UNSATISFIABLE'
  // platforms and jobs
  | 'PLATFORM_API_FAILED'
  | 'JOB_LEASE_LOST'
  // operator actions on recordings
  | 'NOT_FOUND'
  | 'RECORDING_BUSY'
  | 'RECORDING_RAW_GONE'
  | 'RECORDING_NOTHING_TO_DO'
  | 'DB_MIGRATION_FAILED'
  | 'DB_UNAVAILABLE'
  // configuration and usage
  | 'CONFIG_INVALID'
  | 'SERVER_LISTEN_FAILED'
  | 'USAGE';

export class TracksError extends Error {
  override readonly name = 'TracksError';
  readonly code: ErrorCode;
  readonly data: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: { data?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.data = options.data ?? {};
  }

  /** Checks by name and code rather than `instanceof`, which fails across realms and workers (as h3's `HTTPError.isError`). */
  static isError(input: unknown, code?: ErrorCode): input is TracksError {
    if (typeof input !== 'object' || input === null) return false;
    const e = input as { name?: unknown; code?: unknown };
    return e.name === 'TracksError' && typeof e.code === 'string' && (code === undefined || e.code === code);
  }
}

/**
 * Errors that retrying cannot fix: the same input fails the same way. Everything else (network,
 * S3 5xx, a database away, a crashed worker, an unknown error) is transient and retried.
 */
const PERMANENT: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'STORAGE_BAD_KEY',
  'STORAGE_NOT_FOUND',
  'USAGE',
  'CONFIG_INVALID',
  'PIPELINE_NO_TRACKS',
  'MEDIA_UNREADABLE',
  'MEDIA_NO_AUDIO',
]);

export const isPermanentError = (error: unknown): boolean =>
  (TracksError.isError(error) && PERMANENT.has(error.code)) || (error as { name?: unknown })?.name === 'ZodError';

/** A short, human-readable description of anything thrown. */
export const describeError = (error: unknown): string => {
  if (TracksError.isError(error)) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
};

/** A zod issue as far as a message needs it (zod's `$ZodIssue`, without importing zod here). */
export type ValidationIssue = { readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined; readonly message: string };

/**
 * Validation problems as `where: what`, one per issue: the one formatting of zod issues for
 * settings, request bodies and platform payloads alike. `whole` names an issue without a path.
 */
export const formatIssues = (issues: readonly ValidationIssue[], whole = '(body)'): string[] =>
  issues.map((i) => `${(i.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.') || whole}: ${i.message}`);
