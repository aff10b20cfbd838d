/**
 * The one mapping from database rows to API objects: snake_case column names become camelCase
 * (`platform_recording_id` → `platformRecordingId`) and timestamps ISO-8601 strings. Only the
 * row's own keys are renamed: jsonb values (`gaps`, `segments`) are stored camelCase already.
 * The route's response schema (api-schemas.ts) then keeps only the fields it names.
 */

/** `platform_recording_id` → `platformRecordingId`, at the type level. */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

type ApiValue<V> = V extends Date ? string : V;

export type ApiRow<T> = { [K in keyof T as K extends string ? CamelCase<K> : K]: ApiValue<T[K]> };

export const camelCase = <S extends string>(name: S): CamelCase<S> => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()) as CamelCase<S>;

export const toApi = <T extends Record<string, unknown>>(row: T): ApiRow<T> => {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) out[camelCase(key)] = value instanceof Date ? value.toISOString() : value;
  return out as ApiRow<T>;
};
