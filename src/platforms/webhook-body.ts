/**
 * What PostgreSQL can hold of an authentic webhook delivery, whatever it carries. jsonb refuses
 * `\u0000` (SQLSTATE 22P05) and lone surrogates (22P02), text refuses NUL bytes, and a deeply
 * nested value overflows JSON.stringify's stack: any of these would make every redelivery a
 * 500, and Daily disables a webhook after three failures. So every string and key is made
 * well-formed (NUL and lone surrogates → U+FFFD), non-finite numbers (`1e400`) become null,
 * nesting is capped, and when anything had to change the exact bytes are kept beside the
 * sanitized copy. The handlers parse the sanitized value, never the raw text.
 */
import { createHash } from 'node:crypto';

/** Daily's and Whereby's events nest 4–5 levels deep. */
const MAX_JSON_DEPTH = 32;

export type WebhookBody = {
  /** The parsed, sanitized value; undefined when the body is not JSON or too deep to use. */
  value: unknown;
  /** Top-level `id` and `type` (sanitized) even when the value is unusable, so the event is still filed under its id. */
  head: { id?: unknown; type?: unknown };
  /** JSON text PostgreSQL's jsonb accepts. */
  payload: string;
  sha256: string;
  /** What had to change; empty for an ordinary delivery. */
  problems: string[];
  /** Set when the stored payload is not the delivery as sent (keep the bytes). */
  rawKept: Uint8Array | null;
};

const clean = (s: string): string => s.replaceAll('\u0000', '\uFFFD').toWellFormed();

const depthOf = (root: unknown): number => {
  let max = 0;
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > max) max = depth;
    if (max > MAX_JSON_DEPTH) return max;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return max;
};

const sanitize = (value: unknown, problems: Set<string>): unknown => {
  if (typeof value === 'string') {
    const fixed = clean(value);
    if (fixed !== value) problems.add('strings with NUL or lone surrogates replaced by U+FFFD');
    return fixed;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    problems.add('numbers beyond double range replaced by null');
    return null;
  }
  if (Array.isArray(value)) return value.map((v) => sanitize(v, problems));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = clean(k);
      if (key !== k) problems.add('keys with NUL or lone surrogates replaced by U+FFFD');
      out[key] = sanitize(v, problems);
    }
    return out;
  }
  return value;
};

export const readWebhookBody = (raw: Uint8Array): WebhookBody => {
  const sha256 = createHash('sha256').update(raw).digest('hex');
  const problems = new Set<string>();
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    text = new TextDecoder('utf-8').decode(raw);
    problems.add('invalid UTF-8 replaced by U+FFFD');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    problems.add(`not JSON: ${(error as Error).message}`);
    return { value: undefined, head: {}, payload: JSON.stringify({ unparsed: clean(text.slice(0, 4096)) }), sha256, problems: [...problems], rawKept: raw };
  }
  const top = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  const head = { id: typeof top.id === 'string' ? clean(top.id) : undefined, type: typeof top.type === 'string' ? clean(top.type) : undefined };
  const depth = depthOf(parsed);
  if (depth > MAX_JSON_DEPTH) {
    problems.add(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    return {
      value: undefined,
      head,
      payload: JSON.stringify({ unstorable: `nested deeper than ${MAX_JSON_DEPTH} levels` }),
      sha256,
      problems: [...problems],
      rawKept: raw,
    };
  }
  const value = sanitize(parsed, problems);
  return { value, head, payload: JSON.stringify(value), sha256, problems: [...problems], rawKept: problems.size ? raw : null };
};
