/**
 * `reflector-tracks reprocess ID`: queue a failed or partly processed recording again (its raw
 * objects must still exist). Through the running service's admin socket on the embedded
 * database, else on the configured database and buckets directly.
 */
import { TracksError } from '../errors.ts';
import { reprocessRecording } from '../recordings/operator-actions.ts';
import { openStores } from '../storage/open-stores.ts';
import { parseCommandArgs, type Command } from './command.ts';
import { openOperatorChannel } from './operator-channel.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const help = `Usage: reflector-tracks reprocess RECORDING_ID

Queues the recording's processing job again from its first attempt. Allowed for a failed
recording, or a processed one with skipped tracks, while all its raw objects still exist
(GET /v1/recordings?status=failed lists candidates). The service's workers pick it up.
  DATABASE_URL, DATA_DIR, TRANSCRIPT_STORAGE_AWS_*   as for serve`;

export const reprocessCommand: Command = {
  name: 'reprocess',
  summary: 'queue a failed or partial recording again',
  help,
  async run(argv) {
    const { positionals } = parseCommandArgs(argv, {});
    const id = positionals[0];
    if (!id || !UUID.test(id) || positionals.length > 1) throw new TracksError('USAGE', 'reprocess needs one recording id (a UUID).');
    const channel = await openOperatorChannel();
    if (channel.kind === 'socket') {
      const { status, json } = await channel.call('POST', `/v1/recordings/${id}/reprocess`);
      if (status !== 202) {
        process.stderr.write(`reflector-tracks reprocess: ${(json.error as { message?: string })?.message ?? JSON.stringify(json)}\n`);
        return 1;
      }
      process.stdout.write(`queued recording ${id} again (job ${json.jobId})\n`);
      return 0;
    }
    try {
      const { stores } = await openStores(channel.config.storage);
      const { jobId } = await reprocessRecording(channel.handle.db, stores, id);
      process.stdout.write(`queued recording ${id} again (job ${jobId})\n`);
      return 0;
    } finally {
      await channel.handle.close();
    }
  },
};
