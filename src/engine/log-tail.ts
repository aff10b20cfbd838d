/**
 * The last non-empty lines of an ffmpeg log, joined for an error message: where ffmpeg says why
 * it failed. The one helper of every error that quotes a command's log.
 */
export const logTail = (log: readonly string[], lines = 3, fallback = 'no log'): string =>
  log
    .filter((l) => l.trim())
    .slice(-lines)
    .join(' | ') || fallback;
