/**
 * The platforms' APIs and the transcriber, asked with read-only calls: Daily's key
 * (GET /rooms?limit=1) and its webhooks (GET /webhooks: one must point at PUBLIC_URL +
 * /v1/daily/webhook and be ACTIVE — docs.daily.co/reference/rest-api/webhooks), the role ARN's
 * form (the role is Daily's to assume, not ours), Whereby's key (GET /recordings?limit=1,
 * docs.whereby.com/reference/whereby-rest-api-reference), and the transcriber's endpoint
 * (GET /models of an OpenAI-compatible API).
 */
import type { ServiceConfig } from '../config/service-config.ts';
import { fail, notApplicable, pass, type Check, type CheckResult } from './check.ts';

const get = async (base: string, path: string, key: string | undefined, signal: AbortSignal) => {
  const response = await fetch(`${base.replace(/\/$/, '')}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {}, signal });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json };
};

const unreachable = (what: string, url: string, error: unknown): CheckResult =>
  fail(`${what} at ${url} did not answer: ${(error as Error).message}`, `check the URL and that this host reaches it`);

/** IAM role ARNs: arn:<partition>:iam::<12-digit account>:role/<path/name> (docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html). */
const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

type Webhook = { url?: string; state?: string; uuid?: string };

type PlatformApi = { platform: string; url: string; path: string; key: string | undefined; keyVar: string; keyFrom: string; urlVar: string };

/** A platform's API key, asked with one read-only GET: accepted (200), refused (401/403: `keyFrom` says where a key comes from), or another answer. */
const apiKeyCheck = (name: string, api: PlatformApi): Check => ({
  name,
  run: async (signal) => {
    if (!api.key) return notApplicable(`no ${api.keyVar}`);
    const answer = await get(api.url, api.path, api.key, signal).catch((e: Error) => e);
    if (answer instanceof Error) return unreachable(`${api.platform}’s API`, api.url, answer);
    if (answer.status === 401 || answer.status === 403)
      return fail(`${api.platform} refused the key (${answer.status})`, `set ${api.keyVar} to ${api.keyFrom}`);
    return answer.status === 200
      ? pass(`${api.platform} accepts the key (${api.url})`)
      : fail(`${api.platform} answered ${answer.status}`, `check ${api.urlVar}`);
  },
});

export const platformChecks = (config: ServiceConfig, publicUrl: string): Check[] => {
  const { daily, whereby, transcription } = config;
  const webhookUrl = `${publicUrl.replace(/\/$/, '')}/v1/daily/webhook`;
  return [
    apiKeyCheck('daily:api', {
      platform: 'Daily',
      url: daily.apiUrl,
      path: '/rooms?limit=1',
      key: daily.apiKey,
      keyVar: 'DAILY_API_KEY',
      keyFrom: 'a key of the domain (dashboard.daily.co → Developers)',
      urlVar: 'DAILY_API_URL',
    }),
    {
      name: 'daily:webhook',
      run: async (signal) => {
        if (!daily.apiKey) return notApplicable('no DAILY_API_KEY to ask Daily which webhooks are registered');
        const answer = await get(daily.apiUrl, '/webhooks', daily.apiKey, signal).catch((e: Error) => e);
        if (answer instanceof Error) return unreachable('Daily’s API', daily.apiUrl, answer);
        if (answer.status !== 200) return fail(`GET /webhooks answered ${answer.status}`, 'check DAILY_API_KEY (the daily:api row)');
        const list = (Array.isArray(answer.json) ? answer.json : ((answer.json as { data?: unknown })?.data ?? [])) as Webhook[];
        const ours = list.find((w) => w.url?.replace(/\/$/, '') === webhookUrl);
        const register = `register it: POST ${daily.apiUrl.replace(/\/$/, '')}/webhooks {"url": "${webhookUrl}", "eventTypes": ["recording.ready-to-download", "participant.joined", "participant.left"]}, then set DAILY_WEBHOOK_SECRET to its hmac (or fix PUBLIC_URL)`;
        if (!ours)
          return fail(`no webhook at ${webhookUrl}${list.length ? ` (registered: ${list.map((w) => w.url).join(', ')})` : ' (none registered)'}`, register);
        if (ours.state && ours.state !== 'ACTIVE')
          return fail(
            `the webhook at ${webhookUrl} is ${ours.state}: Daily sends nothing to it`,
            `re-activate it: POST ${daily.apiUrl.replace(/\/$/, '')}/webhooks/${ours.uuid ?? '<uuid>'} {"url": "${webhookUrl}"}`,
          );
        if (!config.daily.webhookSecret)
          return fail(
            `a webhook is registered at ${webhookUrl}, but DAILY_WEBHOOK_SECRET is unset: every delivery is answered 503`,
            'set DAILY_WEBHOOK_SECRET to the webhook’s hmac',
          );
        return pass(`registered at ${webhookUrl}${ours.state ? `, ${ours.state}` : ''}`);
      },
    },
    {
      name: 'daily:role',
      run: async () => {
        if (!daily.roleArn) return notApplicable('no DAILYCO_STORAGE_AWS_ROLE_ARN (meeting creation on Daily is off)');
        return ROLE_ARN.test(daily.roleArn)
          ? pass(`${daily.roleArn} is well formed (the role Daily assumes to write the bucket; not assumed here)`)
          : fail(`${daily.roleArn} is not an IAM role ARN`, 'set DAILYCO_STORAGE_AWS_ROLE_ARN to arn:aws:iam::<account id>:role/<name>');
      },
    },
    apiKeyCheck('whereby:api', {
      platform: 'Whereby',
      url: whereby.apiUrl,
      path: '/recordings?limit=1',
      key: whereby.apiKey,
      keyVar: 'WHEREBY_API_KEY',
      keyFrom: 'a key of the Embedded dashboard (Configure → API)',
      urlVar: 'WHEREBY_API_URL',
    }),
    {
      name: 'transcription',
      run: async (signal) => {
        if (!transcription) return notApplicable('no TRANSCRIPTION_API_URL (recordings are processed without words)');
        const answer = await get(transcription.apiUrl, '/models', transcription.apiKey, signal).catch((e: Error) => e);
        if (answer instanceof Error) return unreachable('the transcriber', transcription.apiUrl, answer);
        if (answer.status === 401 || answer.status === 403) return fail(`the transcriber refused the key (${answer.status})`, 'set TRANSCRIPTION_API_KEY');
        if (answer.status >= 500) return fail(`the transcriber answered ${answer.status}`, 'see the transcription server’s log');
        return pass(`${transcription.apiUrl} answers (GET /models: ${answer.status})`);
      },
    },
  ];
};
