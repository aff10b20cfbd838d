/**
 * A task run now and then every `intervalMs` until stopped (the Daily poller, the retention
 * sweep): one pass at a time, a failed pass reported and the next one tried on schedule, and
 * `stop()` waiting for the pass in flight.
 */
export const startPeriodic = (pass: () => Promise<void>, intervalMs: number, onError: (error: Error) => void) => {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = pass()
      .catch(onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  tick();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
};
