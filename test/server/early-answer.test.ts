/**
 * An answer given before a request's body was read (413 over the cap, 401 without a credential)
 * on a keep-alive connection: the next request written on the same raw socket is answered, or
 * the socket is closed at once — never left waiting for an answer that does not come.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { serve } from 'h3';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { testApp } from '../helpers/app.ts';

const MAX_BODY_BYTES = 4096;
let t: TestDatabase;
let server: ReturnType<typeof serve>;
let port: number;
let authorization: string;

type Exchange = { text: string; closed: boolean; ms: number };

/** Writes `first`, waits for its answer, writes `second` on the same socket; resolves once that is answered or the socket closes. */
const twoOnOneSocket = (first: string | Buffer, second: string, rest?: Buffer): Promise<Exchange> =>
  new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let sentSecond = false;
    let started = 0;
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, closed, ms: performance.now() - started });
    };
    const timer = setTimeout(() => reject(new Error(`no answer and no close within 5 s; got: ${text}`)), 5000);
    socket.on('error', () => {});
    socket.on('close', () => done(true));
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (!sentSecond && /\r\n\r\n/.test(text)) {
        sentSecond = true;
        started = performance.now();
        // The client goes on as keep-alive clients do: the rest of its body if it has one, then the next request.
        if (rest && socket.writable) socket.write(rest);
        if (socket.writable) socket.write(second);
      } else if (sentSecond && (text.match(/HTTP\/1\.1 /g) ?? []).length >= 2 && /"ok":true/.test(text)) done(false);
    });
    socket.write(first);
  });

const NEXT = 'GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n';

beforeAll(async () => {
  t = await createTestDatabase('pglite');
  await migrateToLatest(t.handle.db);
  const made = await testApp(t.handle.db, { maxBodyBytes: MAX_BODY_BYTES });
  const { app } = made;
  authorization = made.as('admin').authorization;
  server = serve(app, { port: 0, hostname: '127.0.0.1', silent: true });
  await server.ready();
  port = Number(new URL(server.url!).port);
});
afterAll(async () => {
  await server?.close(true);
  await t?.drop();
});

const expectAnsweredOrClosed = (exchange: Exchange, firstStatus: number) => {
  expect(exchange.text.startsWith(`HTTP/1.1 ${firstStatus} `)).toBe(true);
  if (exchange.closed) expect(exchange.ms).toBeLessThan(2000);
  else expect(exchange.text).toMatch(/HTTP\/1\.1 200 [\s\S]*"ok":true/);
};

describe('early answers on keep-alive connections', () => {
  const head = (path: string, length: number) =>
    `POST ${path} HTTP/1.1\r\nhost: x\r\nconnection: keep-alive\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n\r\n`;

  for (const sendsRest of [false, true])
    it(`413 on a declared length over the cap, part of the body sent, ${sendsRest ? 'the rest' : 'not the rest'} before the next request`, async () => {
      const body = Buffer.alloc(64 * 1024, 0x20);
      const exchange = await twoOnOneSocket(Buffer.concat([Buffer.from(head('/v1/daily/webhook', 2 * body.length)), body]), NEXT, sendsRest ? body : undefined);
      expectAnsweredOrClosed(exchange, 413);
      expect(exchange.text).toMatch(/connection: close/i);
    });

  for (const [path, headers] of [
    ['/v1/daily/webhook', ''],
    ['/v1/meetings', 'authorization'],
  ] as const)
    it(`413 once a chunked body passes the cap (${path})`, async () => {
      const chunk = Buffer.alloc(MAX_BODY_BYTES, 0x20);
      const chunked = (b: Buffer) => Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n')]);
      const first = Buffer.concat([
        Buffer.from(
          `POST ${path} HTTP/1.1\r\nhost: x\r\n${headers ? `authorization: ${authorization}\r\n` : ''}transfer-encoding: chunked\r\ncontent-type: application/json\r\n\r\n`,
        ),
        chunked(chunk),
        chunked(chunk),
      ]);
      expectAnsweredOrClosed(await twoOnOneSocket(first, NEXT, Buffer.concat([chunked(chunk), Buffer.from('0\r\n\r\n')])), 413);
    });

  it('401 on an API route before its body is read', async () => {
    const body = Buffer.alloc(MAX_BODY_BYTES - 1, 0x20);
    expectAnsweredOrClosed(await twoOnOneSocket(Buffer.concat([Buffer.from(head('/v1/meetings', body.length + 10)), body]), NEXT), 401);
  });

  it('keeps the connection when the body was read in full (a webhook with no secret set: 503)', async () => {
    const body = Buffer.from('{"test":"nope"}');
    const exchange = await twoOnOneSocket(Buffer.concat([Buffer.from(head('/v1/daily/webhook', body.length)), body]), NEXT);
    expect(exchange.closed).toBe(false);
    expectAnsweredOrClosed(exchange, 503);
  });
});
