/**
 * The job kinds a worker runs for recordings, with the hooks that keep each recording's state in
 * step with its job (recording-states.ts).
 */
import { PROCESS_MULTITRACK_RECORDING, PROCESS_RECORDING } from '../jobs/kinds.ts';
import type { JobKind } from '../jobs/worker.ts';
import { processingHooks } from '../recordings/recording-states.ts';
import { processRecording, type ProcessingDeps } from './process-recording.ts';

export type RunObserver = (platform: string) => { done(outcome: 'ok' | 'error', bytesIn?: number): void };

export const recordingJobKinds = (deps: ProcessingDeps, observe?: RunObserver): Record<string, JobKind> => {
  const processKind: JobKind = {
    ...processingHooks,
    run: async (payload, context) => {
      const run = observe?.((payload as { platform?: string })?.platform ?? 'unknown');
      try {
        const { bytesIn, commit } = await processRecording(deps, payload, context);
        run?.done('ok', bytesIn);
        return commit;
      } catch (error) {
        run?.done('error');
        throw error;
      }
    },
  };
  return { [PROCESS_MULTITRACK_RECORDING]: processKind, [PROCESS_RECORDING]: processKind };
};
