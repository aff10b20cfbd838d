/**
 * Local stand-ins for what `doctor` asks and the emulator does not answer:
 * - an S3 front for fauxqs that answers GetBucketNotificationConfiguration itself (fauxqs does not
 *   implement it; docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketNotificationConfiguration.html)
 *   and passes every other request through;
 * - Daily's REST API (GET /rooms, GET /webhooks: docs.daily.co/reference/rest-api), Whereby's
 *   (GET /recordings: docs.whereby.com/reference/whereby-rest-api-reference) and an
 *   OpenAI-compatible transcriber (GET /models), each checking its bearer key.
 * The `state` objects are changed by a test to break one thing at a time.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
};

export type NotificationState = { queueConfigurations: Array<{ queueArn: string; events: string[] }> };

const notificationXml = (state: NotificationState) =>
  `<?xml version="1.0" encoding="UTF-8"?><NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${state.queueConfigurations
    .map((q, i) => `<QueueConfiguration><Id>q${i}</Id><Queue>${q.queueArn}</Queue>${q.events.map((e) => `<Event>${e}</Event>`).join('')}</QueueConfiguration>`)
    .join('')}</NotificationConfiguration>`;

export const startS3Front = async (emulatorPort: number, buckets: () => string[], state: NotificationState) => {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, 'http://x');
    const bucket = decodeURIComponent(url.pathname.split('/')[1] ?? '');
    if (req.method === 'GET' && url.searchParams.has('notification')) {
      if (!buckets().includes(bucket))
        return void res.writeHead(404, { 'content-type': 'application/xml' }).end('<Error><Code>NoSuchBucket</Code><Message>no such bucket</Message></Error>');
      return void res.writeHead(200, { 'content-type': 'application/xml' }).end(notificationXml(state));
    }
    const upstream = request({ host: '127.0.0.1', port: emulatorPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return { url: await listen(server), close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};

export type PlatformState = {
  dailyKey: string;
  dailyWebhooks: Array<{ uuid: string; url: string; state: 'ACTIVE' | 'FAILED' }>;
  wherebyKey: string;
  transcriber: 'up' | 'down' | 'hangs';
};

export const startPlatformStandIns = async (state: PlatformState) => {
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const json = (status: number, body: unknown) => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const keyIs = (key: string) => req.headers.authorization === `Bearer ${key}`;
    if (url.pathname.startsWith('/daily/v1/')) {
      if (!keyIs(state.dailyKey)) return json(401, { error: 'authentication-error', info: 'API key invalid' });
      if (url.pathname === '/daily/v1/rooms') return json(200, { total_count: 0, data: [] });
      if (url.pathname === '/daily/v1/webhooks')
        return json(
          200,
          state.dailyWebhooks.map((w) => ({ ...w, eventTypes: ['recording.ready-to-download'], failedCount: 0 })),
        );
    }
    if (url.pathname === '/whereby/v1/recordings')
      return keyIs(state.wherebyKey) ? json(200, { results: [], cursor: null }) : json(401, { error: 'Unauthorized' });
    if (url.pathname === '/asr/v1/models') {
      if (state.transcriber === 'hangs') return void hanging.add(res);
      return state.transcriber === 'up'
        ? json(200, { object: 'list', data: [{ id: 'whisper-1', object: 'model' }] })
        : json(500, { error: 'model not loaded' });
    }
    json(404, { error: 'not-found' });
  });
  const base = await listen(server);
  return {
    daily: `${base}/daily/v1`,
    whereby: `${base}/whereby/v1`,
    transcriber: `${base}/asr/v1`,
    close: () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
