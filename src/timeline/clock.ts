/**
 * Meeting time as a clock: `m:ss.mmm`, `h:mm:ss.mmm` past an hour; `precise: false` drops the
 * milliseconds (ruler ticks). The one formatter of the CLI table and the inspector.
 */
export const clock = (ms: number, precise = true): string => {
  const s = Math.max(0, ms) / 1000;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = precise ? (s % 60).toFixed(3).padStart(6, '0') : String(Math.floor(s % 60)).padStart(2, '0');
  return `${h ? `${h}:${String(m).padStart(2, '0')}` : m}:${sec}`;
};
