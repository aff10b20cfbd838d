/**
 * `Promise.all` that leaves nothing running behind it: every item starts at once, the first
 * failure aborts the others (the `signal` each is given) and, once every one has ended, is what
 * this rejects with. With a bare `Promise.all` the siblings of a failed task go on sending audio
 * and then delete their files after the caller has moved on — a retry deciding the same file
 * names in the same folder lost its files to them.
 */
export const allOrNone = async <T, R>(
  items: readonly T[],
  signal: AbortSignal | undefined,
  work: (item: T, index: number, signal: AbortSignal) => Promise<R>,
): Promise<R[]> => {
  const failed = new AbortController();
  const inner = signal ? AbortSignal.any([signal, failed.signal]) : failed.signal;
  let first: { error: unknown } | undefined;
  const settled = await Promise.allSettled(
    items.map((item, index) =>
      work(item, index, inner).catch((error: unknown) => {
        first ??= { error };
        failed.abort(error);
        throw error;
      }),
    ),
  );
  if (first) throw first.error;
  return settled.map((result) => (result as PromiseFulfilledResult<R>).value);
};
