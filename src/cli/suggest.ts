/**
 * "Did you mean …?" for mistyped commands and flags: the closest known name by edit distance
 * (Levenshtein), when it is close enough to be the likely intent.
 */
const distance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
};

/** The known name `input` most likely meant, or null: at most a third of its letters off (2 at least), or a unique prefix. */
export const closest = (input: string, known: readonly string[]): string | null => {
  const prefixed = known.filter((k) => input.length >= 2 && k.startsWith(input));
  if (prefixed.length === 1) return prefixed[0]!;
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(input.length / 3)) + 1;
  for (const k of known) {
    const d = distance(input, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
};

/** ` (did you mean "x"?)`, or nothing. */
export const didYouMean = (input: string, known: readonly string[]): string => {
  const match = closest(input, known);
  return match ? ` (did you mean ${match}?)` : '';
};
