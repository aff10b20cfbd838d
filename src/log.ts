/**
 * Structured logs: one JSON object per line on stdout (machine-readable in production, still
 * legible with `| jq`). Errors carry their stable code.
 */
export type Log = (event: Record<string, unknown>) => void;

export const jsonLog =
  (stream: NodeJS.WritableStream = process.stdout, base: Record<string, unknown> = {}): Log =>
  (event) => {
    stream.write(`${JSON.stringify({ ts: new Date().toISOString(), ...base, ...event })}\n`);
  };
