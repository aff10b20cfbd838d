/**
 * Where `process` spends its time: every engine command timed (queued, wall, inside the worker)
 * and sorted into stages by what it writes, plus the pipeline's own stage marks. Prints probe,
 * each render, each mixdown segment, the join and final writes, and how long each pool slot sat
 * idle while the commands ran.
 */
import type { Engine, RunRequest, RunResult } from '../../src/engine/engine.ts';

export type CommandTiming = { label: string; startMs: number; endMs: number; workerMs: number; cpuMs: number | null };

export const profiledEngine = (engine: Engine): { engine: Engine; commands: CommandTiming[] } => {
  const commands: CommandTiming[] = [];
  const run = async (request: RunRequest): Promise<RunResult> => {
    const startMs = performance.now();
    const result = await engine.run(request);
    const out = request.outputs?.[0]?.name ?? '';
    const label = out.startsWith('mixdown-')
      ? `mixdown segment ${out.slice(8, -4)}`
      : out.startsWith('out')
        ? `render ${request.inputs?.[0]?.name}`
        : out.startsWith('speech')
          ? `speech ${request.inputs?.[0]?.name}` // a copied render decoded for the analyzer
          : out;
    commands.push({ label, startMs, endMs: performance.now(), workerMs: result.durationMs, cpuMs: result.cpuMs ?? null });
    return result;
  };
  return { engine: { concurrency: engine.concurrency, run, probe: engine.probe.bind(engine), close: engine.close.bind(engine) }, commands };
};

/** Stage marks: the first progress event of each pipeline stage, and the end. */
export const printProfile = (format: string, workers: number, startMs: number, marks: Record<string, number>, endMs: number, commands: CommandTiming[]) => {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const renders = commands.filter((c) => c.label.startsWith('render') || c.label.startsWith('speech'));
  const segments = commands.filter((c) => c.label.startsWith('mixdown'));
  const lastSegmentEnd = Math.max(...segments.map((c) => c.endMs));
  const busyFrom = Math.min(...commands.map((c) => c.startMs));
  const busyTo = Math.max(...commands.map((c) => c.endMs));
  // A slot is busy while one of its commands runs in the worker; the rest of workers × span is idle.
  const idleMs = workers * (busyTo - busyFrom) - commands.reduce((sum, c) => sum + c.workerMs, 0);
  console.log(`  profile (${format}): probe ${s((marks.render ?? busyFrom) - startMs)}`);
  const cpu = (c: CommandTiming) => (c.cpuMs === null ? '' : ` (${s(c.cpuMs)} CPU)`);
  const line = (c: CommandTiming) =>
    `    ${c.label.padEnd(16)} ${s(c.workerMs)} in the worker${cpu(c)}, ${s(c.endMs - c.startMs - c.workerMs)} queued/transfer`;
  for (const c of renders) console.log(line(c));
  for (const c of segments) console.log(line(c));
  const others = commands.filter((c) => !renders.includes(c) && !segments.includes(c));
  for (const c of others) console.log(line(c));
  const cpuSum = (list: CommandTiming[]) => list.reduce((sum, c) => sum + (c.cpuMs ?? 0), 0);
  console.log(`    CPU in the workers: renders ${s(cpuSum(renders))}, mixdown ${s(cpuSum(segments))}, other ${s(cpuSum(others))}`);
  console.log(
    `    join + timeline write ${s(endMs - lastSegmentEnd)}; pool: ${workers} slots × ${s(busyTo - busyFrom)}, ` +
      `${s(idleMs)} idle (${((idleMs / (workers * (busyTo - busyFrom))) * 100).toFixed(0)}%): ` +
      slotBusyMs(commands, workers)
        .map((busy, i) => `slot ${i + 1} idle ${s(busyTo - busyFrom - busy)}`)
        .join(', '),
  );
};

/**
 * Busy time per pool slot. The engine does not say which slot ran a command, but a slot runs one
 * at a time, so commands (by the moment they entered a worker: end − time in the worker) are laid
 * on the slot that came free first — the engine's own dispatch.
 */
const slotBusyMs = (commands: CommandTiming[], workers: number): number[] => {
  const freeAt = Array.from({ length: workers }, () => Number.NEGATIVE_INFINITY);
  const busy = Array.from({ length: workers }, () => 0);
  for (const c of [...commands].sort((a, b) => a.endMs - a.workerMs - (b.endMs - b.workerMs))) {
    const slot = freeAt.indexOf(Math.min(...freeAt));
    freeAt[slot] = c.endMs;
    busy[slot]! += c.workerMs;
  }
  return busy;
};
