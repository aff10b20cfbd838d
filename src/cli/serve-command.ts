/**
 * `reflector-tracks serve` (web + job workers) and `reflector-tracks worker` (workers only, so
 * several machines can share one PostgreSQL and one SQS queue). SIGTERM/SIGINT stop gracefully.
 */
import { loadServiceConfig } from '../config/service-config.ts';
import { settingsHelp } from '../config/settings-table.ts';
import { jsonLog } from '../log.ts';
import { parseCommandArgs, type Command } from './command.ts';

/** The settings table (src/config/settings-table.ts), generated from the schemas that validate them. */
const envHelp = settingsHelp();

const run = (web: boolean) => async (argv: string[]) => {
  parseCommandArgs(argv, {});
  const config = loadServiceConfig();
  const log = jsonLog();
  for (const notice of config.notices) log({ msg: notice });
  // Listening before the start: a signal that comes as the service says started (or while it
  // starts) stops it gracefully once started, instead of ending the process where it stands.
  const signalled = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  // The server and its dependencies load once the settings are valid: `--help` and a refused
  // setting answer without them.
  const { startService } = await import('../server/service.ts');
  const service = await startService(config, { web, workers: true, log });
  log({ msg: 'shutting down', signal: await signalled });
  await service.stop();
  log({ msg: 'stopped' });
  return 0;
};

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the HTTP server and the job workers (the service)',
  help: `Usage: reflector-tracks serve\n\nRuns the h3 server (webhooks, API, /healthz, /readyz, /metrics) and the job workers.\n\n${envHelp}`,
  run: run(true),
};

export const workerCommand: Command = {
  name: 'worker',
  summary: 'run job workers only (scale out beside one serve)',
  help: `Usage: reflector-tracks worker\n\nRuns job workers, the Daily poller and the Whereby queue consumer, without the HTTP server.\n\n${envHelp}`,
  run: run(false),
};
