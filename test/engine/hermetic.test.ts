/**
 * No system ffmpeg anywhere: the engine works in a process whose PATH holds node alone.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { access, mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tsScriptArgs } from '../helpers/node-script.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

describe('hermetic engine', () => {
  it('encodes, decodes and probes in a child process whose PATH holds only node', async () => {
    const bin = await mkdtemp(join(tmpdir(), 'rt-path-'));
    await symlink(process.execPath, join(bin, 'node'));
    for (const tool of ['ffmpeg', 'ffprobe']) await expect(access(join(bin, tool))).rejects.toThrow();
    const script = join(root, 'test/engine/hermetic-child.ts');
    const { stdout } = await run(join(bin, 'node'), tsScriptArgs(script), {
      cwd: root,
      env: { PATH: bin, HOME: process.env.HOME ?? '/tmp' },
    });
    const report = JSON.parse(stdout) as { pathHasFfmpeg: boolean; exitCodes: number[]; codec: string; durationMs: number };
    expect(report.pathHasFfmpeg).toBe(false);
    expect(report.exitCodes).toEqual([0, 0]);
    expect(report.codec).toBe('opus');
    expect(report.durationMs).toBeGreaterThan(1900);
    expect(report.durationMs).toBeLessThan(2100);
  });
});
