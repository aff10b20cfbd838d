/**
 * Progress on stderr: one rewritten line on a terminal, sparse plain lines otherwise (CI logs).
 */
import type { PipelineProgress } from '../pipeline/types.ts';

export const stderrProgress = (quiet: boolean): ((event: PipelineProgress) => void) => {
  if (quiet) return () => {};
  const tty = process.stderr.isTTY;
  let last = '';
  let lastAt = 0;
  const renderRatios = new Map<string, number>();
  return (event) => {
    let line: string;
    if (event.stage === 'probe') line = `probing ${event.done}/${event.total}`;
    else if (event.stage === 'render') {
      renderRatios.set(event.file, Math.min(1, event.ratio));
      const mean = [...renderRatios.values()].reduce((a, b) => a + b, 0) / event.total;
      line = `rendering tracks ${event.done}/${event.total} (${Math.round(mean * 100)}%)`;
    } else line = `mixing down ${Math.round(Math.min(1, event.ratio) * 100)}%`;
    const now = Date.now();
    if (line === last || (!tty && now - lastAt < 2000 && !line.includes(' 100%') && event.stage !== 'probe')) return;
    last = line;
    lastAt = now;
    process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
  };
};

export const endProgress = (): void => {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
};
