/**
 * What an object key from outside (a webhook, a queue message, a job) may look like before we
 * fetch or delete it: a plain relative path — no empty, `.` or `..` segment, no leading `/`, no
 * backslash or control character — of at most S3's 1024 bytes. Stricter than S3 itself, which
 * takes any UTF-8: platforms never write such keys, attackers do.
 */
const MAX_KEY_BYTES = 1024;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused.
const CONTROL_OR_BACKSLASH = /[\u0000-\u001f\u007f\\]/;

export const isPlainKey = (key: string): boolean =>
  key.length > 0 &&
  Buffer.byteLength(key) <= MAX_KEY_BYTES &&
  !CONTROL_OR_BACKSLASH.test(key) &&
  !key.startsWith('/') &&
  key.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
