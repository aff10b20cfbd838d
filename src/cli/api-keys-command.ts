/**
 * `reflector-tracks api-keys create|list|revoke`: API keys on the configured database
 * (DATABASE_URL, or PGlite under DATA_DIR). While a service holds the embedded database, the
 * command goes through that service's admin socket instead (server/admin-socket.ts).
 */
import { createApiKey, listApiKeys, revokeApiKey, type ApiKeyInfo } from '../auth/api-keys.ts';
import { isScope, SCOPES, type Scope } from '../auth/principal.ts';
import { TracksError } from '../errors.ts';
import { parseCommandArgs, type Command } from './command.ts';
import { openOperatorChannel } from './operator-channel.ts';

const help = `Usage:
  reflector-tracks api-keys create --name NAME --scope read|write|admin
  reflector-tracks api-keys list [--json]
  reflector-tracks api-keys revoke ID

Clients send the token as Authorization: Bearer <token>. \`create\` prints it on the last line of
stdout, once: only its SHA-256 is stored. Scopes: read reads; write also creates meetings and
reprocesses; admin sees and manages everything. Revoking takes effect at once.
  DATABASE_URL   postgres://… ; unset: embedded PGlite under DATA_DIR (default ./data)`;

type Keys = {
  create(name: string, scope: Scope): Promise<ApiKeyInfo & { token: string }>;
  list(): Promise<ApiKeyInfo[]>;
  revoke(id: string): Promise<boolean>;
  close(): Promise<void>;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const openKeys = async (): Promise<Keys> => {
  const channel = await openOperatorChannel();
  if (channel.kind === 'socket') {
    const call = async (method: string, path: string, body?: unknown) => {
      const answer = await channel.call(method, path, body);
      if (answer.status >= 400 && answer.status !== 404) throw new TracksError('USAGE', `the running service refused: ${JSON.stringify(answer.json)}`);
      return answer;
    };
    return {
      create: async (name, scope) => (await call('POST', '/v1/api-keys', { name, scope })).json.apiKey as ApiKeyInfo & { token: string },
      list: async () => (await call('GET', '/v1/api-keys')).json.apiKeys as ApiKeyInfo[],
      revoke: async (id) => (await call('DELETE', `/v1/api-keys/${id}`)).status === 200,
      close: async () => {},
    };
  }
  const { db } = channel.handle;
  return {
    create: (name, scope) => createApiKey(db, { name, scope }),
    list: () => listApiKeys(db),
    revoke: (id) => revokeApiKey(db, id),
    close: () => channel.handle.close(),
  };
};

export const apiKeysCommand: Command = {
  name: 'api-keys',
  summary: 'create, list and revoke API keys',
  help,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { name: { type: 'string' }, scope: { type: 'string' }, json: { type: 'boolean' } });
    const [action, ...rest] = positionals;
    if (action === 'create') {
      const name = values.name?.trim();
      if (!name || name.length > 100) throw new TracksError('USAGE', '--name is required (1–100 characters).');
      if (!isScope(values.scope)) throw new TracksError('USAGE', `--scope must be one of ${SCOPES.join(', ')}.`);
      const keys = await openKeys();
      try {
        const key = await keys.create(name, values.scope);
        process.stdout.write(
          `created API key ${key.id} "${key.name}" with scope ${key.scope}\nthe token is shown this once; send it as Authorization: Bearer <token>\n${key.token}\n`,
        );
        return 0;
      } finally {
        await keys.close();
      }
    }
    if (action === 'list') {
      const keys = await openKeys();
      try {
        const list = await keys.list();
        if (values.json) process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        else if (!list.length) process.stdout.write('no API keys\n');
        else
          for (const k of list)
            process.stdout.write(
              `${k.id}  ${k.scope.padEnd(5)}  ${k.revokedAt ? `revoked ${new Date(k.revokedAt).toISOString()}` : 'active'}  last used ${k.lastUsedAt ? new Date(k.lastUsedAt).toISOString() : 'never'}  ${k.name}\n`,
            );
        return 0;
      } finally {
        await keys.close();
      }
    }
    if (action === 'revoke') {
      const id = rest[0];
      if (!id || !UUID.test(id)) throw new TracksError('USAGE', 'revoke needs the key id (a UUID, as `api-keys list` shows).');
      const keys = await openKeys();
      try {
        if (!(await keys.revoke(id))) {
          process.stderr.write(`reflector-tracks api-keys: no active key ${id}\n`);
          return 1;
        }
        process.stdout.write(`revoked ${id}\n`);
        return 0;
      } finally {
        await keys.close();
      }
    }
    throw new TracksError('USAGE', action ? `unknown action "${action}".` : 'an action is required: create, list or revoke.');
  },
};
