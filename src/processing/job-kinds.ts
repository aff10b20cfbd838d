/**
 * The job kinds a worker runs for recordings, with the hooks that keep each recording's state in
 * step with its job (recording-states.ts).
 */
import { PROCESS_MULTITRACK_RECORDING, PROCESS_RECORDING, TRANSCRIBE_RECORDING } from '../jobs/kinds.ts';
import { transcriptionHooks } from '../recordings/transcription-states.ts';
import type { Transcriber } from '../transcription/transcriber.ts';
import { transcribeRecording } from './transcribe-recording.ts';
import type { JobKind } from '../jobs/worker.ts';
import { processingHooks } from '../recordings/recording-states.ts';
import { processRecording, type ProcessingDeps } from './process-recording.ts';

export type RunObserver = (platform: string) => { done(outcome: 'ok' | 'error', bytesIn?: number): void };

export const recordingJobKinds = (deps: ProcessingDeps & { transcriber?: Transcriber | null }, observe?: RunObserver): Record<string, JobKind> => {
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
  const kinds: Record<string, JobKind> = { [PROCESS_MULTITRACK_RECORDING]: processKind, [PROCESS_RECORDING]: processKind };
  // Without a transcriber the kind stays unknown to this worker: queued words wait for one that has it.
  const { transcriber } = deps;
  if (transcriber)
    kinds[TRANSCRIBE_RECORDING] = { ...transcriptionHooks, run: (payload, context) => transcribeRecording({ ...deps, transcriber }, payload, context) };
  return kinds;
};
