/**
 * `reflector-tracks` run as an operator runs it: a child process of bin/reflector-tracks.mjs with
 * the environment given, its JSON log lines collected, its RSS read from /proc.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/reflector-tracks.mjs', import.meta.url));

export type Run = { code: number; stdout: string; stderr: string };

export const runCli = (args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<Run> =>
  new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, timeout: timeoutMs },
      (error, stdout, stderr) =>
        done({ code: error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : 1) : 0, stdout, stderr }),
    );
  });

export type ServeProcess = {
  child: ChildProcess;
  url: string;
  logs: Array<Record<string, unknown>>;
  rssBytes(): Promise<number>;
  stop(): Promise<number | null>;
};

/** Starts `serve` (or `worker`) and resolves once it logs `service started` (rejects if it exits first). */
export const startServe = (
  env: Record<string, string>,
  timeoutMs = 90_000,
  options: { keepLogs?: boolean; command?: 'serve' | 'worker' } = {},
): Promise<ServeProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, options.command ?? 'serve'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const logs: Array<Record<string, unknown>> = [];
    let stderr = '';
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.stdout!.on('data', (chunk) => {
      buffer += chunk;
      for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (entry.msg === 'service started') {
            clearTimeout(timer);
            if (options.keepLogs === false) {
              // A load test: drain the log pipe without parsing it.
              child.stdout!.removeAllListeners('data');
              child.stdout!.resume();
            }
            resolve({
              child,
              logs,
              url: String(entry.url),
              rssBytes: async () => Number(/VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${child.pid}/status`, 'utf8'))![1]) * 1024,
              stop: async () => {
                child.kill('SIGTERM');
                return exited;
              },
            });
          }
        } catch {
          // not a log line
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before starting: ${stderr}`));
    });
  });

/** `reflector-tracks worker`: job workers only, no port (its `url` is null). */
export const spawnWorker = (env: Record<string, string>, timeoutMs = 90_000) => startServe(env, timeoutMs, { command: 'worker' });
