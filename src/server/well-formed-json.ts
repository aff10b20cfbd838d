/**
 * Request JSON may not carry a NUL character or a lone UTF-16 surrogate in any string or key:
 * PostgreSQL text and jsonb cannot store U+0000 and UTF-8 cannot encode a lone surrogate, so
 * such input failed deep in a query as a 500 (issue 24 item 8). Refused at the door instead,
 * as a 400 naming the field.
 */
import { z } from 'zod';

type Flaw = { path: PropertyKey[]; message: string };

const flawOf = (text: string): string | null =>
  text.includes('\u0000') ? 'contains a NUL character (U+0000)' : text.isWellFormed() ? null : 'contains a lone UTF-16 surrogate';

/** The first string or key that cannot be stored, with its path; null when there is none. */
export const findIllFormedString = (value: unknown, path: PropertyKey[] = []): Flaw | null => {
  if (typeof value === 'string') {
    const message = flawOf(value);
    return message ? { path, message } : null;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const flaw = findIllFormedString(item, [...path, i]);
      if (flaw) return flaw;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const keyFlaw = flawOf(key);
      if (keyFlaw) return { path: [...path, JSON.stringify(key)], message: `key name ${keyFlaw}` };
      const flaw = findIllFormedString(item, [...path, key]);
      if (flaw) return flaw;
    }
  }
  return null;
};

/** Any JSON, refused when a string or key in it cannot be stored; pipe it into the body's schema. */
export const WellFormedJson = z.unknown().superRefine((value, ctx) => {
  const flaw = findIllFormedString(value);
  if (flaw) ctx.addIssue({ code: 'custom', path: flaw.path, message: flaw.message });
});
