/**
 * A TCP proxy on 127.0.0.1 in front of a real service (PostgreSQL, the S3 emulator), for outage
 * tests: `cut()` drops every connection and refuses new ones, `restore()` listens again on the
 * same port; `freeze()` drops the forwarded connections and then accepts new ones without ever
 * answering (an endpoint that hangs), `thaw()` forwards again.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export type TcpProxy = {
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
};

export const startTcpProxy = async (targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> => {
  const sockets = new Set<Socket>();
  let frozen = false;
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  const make = (): Server =>
    createServer((client) => {
      track(client);
      if (frozen) return void client.on('error', () => {});
      const upstream = connect(targetPort, targetHost);
      track(upstream);
      for (const s of [client, upstream])
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      client.pipe(upstream).pipe(client);
    });
  let server = make();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const dropAll = () => {
    for (const s of sockets) s.destroy();
  };
  const stop = async () => {
    dropAll();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    port,
    cut: stop,
    restore: async () => {
      server = make();
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    },
    freeze: () => {
      frozen = true;
      dropAll();
    },
    thaw: () => {
      frozen = false;
      dropAll();
    },
    close: () => (server.listening ? stop() : Promise.resolve()),
  };
};
