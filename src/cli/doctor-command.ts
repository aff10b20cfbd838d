/**
 * `reflector-tracks doctor [--json]`: checks the configuration the way the service will use it
 * (src/doctor/), one row per check with ✓/✗ and the fix; exit 1 on any ✗.
 */
import { parseEnv } from '../config/env.ts';
import { loadServiceConfig } from '../config/service-config.ts';
import { DEFAULT_CHECK_TIMEOUT_MS, fail, formatReport, reportJson, type CheckRow } from '../doctor/check.ts';
import { TracksError } from '../errors.ts';
import { CHECK_NAMES, runDoctor } from '../doctor/doctor.ts';
import { numberOption, parseCommandArgs, type Command } from './command.ts';

const help = `Usage: reflector-tracks doctor [--json] [--timeout <seconds>]

Checks the configuration (the same environment as serve) against the live services, read-only
except for one probe object written and deleted under .doctor/ in the transcript bucket:
  ${CHECK_NAMES.join(', ')}
A check that does not apply (a platform not configured) says so and passes. A configuration the
service would refuse is one ✗ row, "configuration", naming the variables.
  --json       print {"ok": bool, "checks": [{"name", "ok", "detail", "fix"}]}
  --timeout    seconds each check may take (default ${DEFAULT_CHECK_TIMEOUT_MS / 1000})
Exit status: 0 when every check passes, 1 otherwise. With the embedded database held by a
running service, the database is asked through that service's admin socket (its /readyz).`;

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check the configuration against the database, buckets, queue and platforms',
  help,
  async run(argv) {
    const { values } = parseCommandArgs(argv, { json: { type: 'boolean' }, timeout: { type: 'string' } });
    const timeoutMs = numberOption(values.timeout, 'timeout', DEFAULT_CHECK_TIMEOUT_MS / 1000, [0.1, 600]) * 1000;
    let rows: CheckRow[];
    try {
      const config = loadServiceConfig();
      // Unset PUBLIC_URL: the service's links follow the port it binds, so the webhook is expected there.
      rows = await runDoctor(config, { publicUrl: parseEnv().PUBLIC_URL ?? `http://localhost:${config.port}`, timeoutMs });
    } catch (error) {
      if (!TracksError.isError(error, 'CONFIG_INVALID')) throw error;
      // Nothing can be checked against a configuration the service would refuse: one row says why.
      rows = [{ name: 'configuration', ...fail(error.message.replace(/\n\s*/g, ' '), 'fix the variables named; `reflector-tracks serve --help` lists them') }];
    }
    const report = reportJson(rows);
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(rows)}\n`);
    return report.ok ? 0 : 1;
  },
};
