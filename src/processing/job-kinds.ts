/**
 * The job kinds a worker runs for recordings: each kind's payload schema and state hooks
 * (recording-states.ts, transcription-states.ts) with its handler, which gets the payload parsed
 * (jobs/worker.ts). The contract itself is recordings/recording-jobs.ts.
 */
import { PROCESS_MULTITRACK_RECORDING, PROCESS_RECORDING, TRANSCRIBE_RECORDING, type RecordingJob, type TranscribeJob } from '../recordings/recording-jobs.ts';
import { transcriptionHooks } from '../recordings/transcription-states.ts';
import type { Transcriber } from '../transcription/transcriber.ts';
import { transcribeRecording } from './transcribe-recording.ts';
import type { JobKind } from '../jobs/job-kind.ts';
import { processingHooks } from '../recordings/recording-states.ts';
import { processRecording, type ProcessingDeps } from './process-recording.ts';

export type RunObserver = (platform: string) => { done(outcome: 'ok' | 'error', bytesIn?: number): void };

export const recordingJobKinds = (deps: ProcessingDeps & { transcriber?: Transcriber | null }, observe?: RunObserver): Record<string, JobKind> => {
  const processKind: JobKind<RecordingJob> = {
    ...processingHooks,
    run: async (payload, context) => {
      const run = observe?.(payload.platform);
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
    kinds[TRANSCRIBE_RECORDING] = {
      ...transcriptionHooks,
      run: (payload, context) => transcribeRecording({ ...deps, transcriber }, payload, context),
    } satisfies JobKind<TranscribeJob>;
  return kinds;
};
