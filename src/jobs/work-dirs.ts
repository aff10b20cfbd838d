/**
 * Work folders are `<DATA_DIR>/work/<pid>-…`: one per run, removed when the run ends. A process
 * killed mid-job leaves its folder (gigabytes of decoded audio, possibly); the next start on the
 * machine removes the folders of processes that no longer exist.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Removes the folders of dead processes; returns their names. */
export const removeDeadWorkDirs = async (workDir: string): Promise<string[]> => {
  const entries = await readdir(workDir, { withFileTypes: true }).catch(() => []);
  const dead = entries.filter((e) => {
    const pid = Number(/^(\d+)-/.exec(e.name)?.[1]);
    return e.isDirectory() && Number.isSafeInteger(pid) && pid !== process.pid && !alive(pid);
  });
  for (const entry of dead) await rm(join(workDir, entry.name), { recursive: true, force: true });
  return dead.map((e) => e.name);
};
