/**
 * The operator's door for a service on the embedded database: PGlite is one process's, so while
 * `serve` or `worker` holds it, `reflector-tracks api-keys …` cannot open it too. The service
 * listens on `<DATA_DIR>/admin.sock` (a Unix socket, mode 0600: whoever may read the data
 * directory is the operator, as with docker.sock) and answers the same API there with admin
 * rights; the CLI talks to it when it is alive. The socket also tells a second service started
 * on the same DATA_DIR to stop before it corrupts the database.
 */
import { chmod, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { toNodeHandler, type H3 } from 'h3';
import { TracksError } from '../errors.ts';

export const ADMIN_SOCKET_NAME = 'admin.sock';

/** True when a live process answers on the socket. */
export const adminSocketAlive = (path: string): Promise<boolean> =>
  new Promise((resolve) => {
    const req = request({ socketPath: path, path: '/healthz', method: 'GET', timeout: 2000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });

/** Throws when a live service answers on the socket: the embedded database is already that process's. */
export const assertNoOtherService = async (path: string): Promise<void> => {
  if (await adminSocketAlive(path)) {
    throw new TracksError(
      'CONFIG_INVALID',
      `Another reflector-tracks process is using this DATA_DIR (${path} answers); the embedded database allows one process. Stop it, or use DATABASE_URL for several.`,
    );
  }
};

export const listenAdminSocket = async (path: string, app: H3): Promise<{ close(): Promise<void> }> => {
  await assertNoOtherService(path);
  await rm(path, { force: true }); // a dead process's socket
  const server: Server = createServer(toNodeHandler(app));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new TracksError(
          'CONFIG_INVALID',
          `Cannot listen on the admin socket ${path}: ${error.code ?? error.message}${error.code === 'EINVAL' ? ' (the path is too long for a Unix socket; use a shorter DATA_DIR)' : ''}`,
        ),
      ),
    );
    server.listen(path, resolve);
  });
  await chmod(path, 0o600);
  return {
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(path, { force: true });
    },
  };
};

/** One JSON request to the running service through its admin socket. */
export const adminSocketRequest = (path: string, method: string, route: string, body?: unknown): Promise<{ status: number; json: unknown }> =>
  new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      { socketPath: path, path: route, method, headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {} },
      async (res) => {
        let text = '';
        for await (const chunk of res) text += chunk;
        try {
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) });
        } catch {
          resolve({ status: res.statusCode ?? 0, json: { raw: text } });
        }
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
