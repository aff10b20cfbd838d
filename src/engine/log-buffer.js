// @ts-check
/**
 * A bounded log: keeps the first quarter and the latest lines of a long ffmpeg log, so an error
 * at the end and the stream mapping at the start both survive. Plain JavaScript because the Node
 * worker script imports it without a TypeScript loader; the browser engine imports it too.
 *
 * @param {number} maxLines
 */
export const createLogBuffer = (maxLines) => {
  /** @type {string[]} */
  const head = [];
  /** @type {string[]} */
  const tail = [];
  let dropped = 0;
  const headMax = Math.ceil(maxLines / 4);
  return {
    /** @param {string} line */
    push(line) {
      // Progress lines ("size=… time=…") repeat many times a second; progress events carry them.
      // Every core run ends by logging "Aborted()" (it exits through abort()): noise.
      if (line.startsWith('size=') || line === 'Aborted()') return;
      if (head.length < headMax) return void head.push(line);
      tail.push(line);
      if (tail.length > maxLines - headMax) {
        tail.shift();
        dropped++;
      }
    },
    /** @returns {string[]} */
    lines: () => (dropped ? [...head, `[… ${dropped} log lines dropped …]`, ...tail] : [...head, ...tail]),
  };
};
