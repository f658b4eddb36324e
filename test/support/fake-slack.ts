import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { waitUntil } from './wait-until.ts';

/** One Web API call the bot made. */
export interface SlackCall {
  method: string;
  body: Record<string, unknown>;
  /** The message timestamp the fake gave a posted message. */
  ts?: string;
}

/** Slack people of the tests: id → name and e-mail. */
export const SLACK_USERS: Record<string, { name: string; email: string }> = {
  'U-ALICE': { name: 'Alice Admin', email: 'alice@contoso.com' },
  'U-BOB': { name: 'Bob Approver', email: 'bob@contoso.com' },
  'U-DAVE': { name: 'Dave Viewer', email: 'dave@contoso.com' },
};

/**
 * A fake Slack Web API on loopback that records every call. `apps.connections.open` hands out
 * `socketUrl`, the Socket Mode server a test starts. Channels in `outsideChannels` answer
 * `chat.postMessage` / `chat.update` with `not_in_channel`, as Slack does where the bot is no
 * member; `failNext(method, error)` makes the next call of a method answer `{ ok: false, error }`.
 * `/response/:id` takes `response_url` posts (recorded as method `response_url`).
 */
export async function startFakeSlackApi(options: { socketUrl?: string } = {}) {
  const calls: SlackCall[] = [];
  const outsideChannels = new Set<string>();
  const failures = new Map<string, string[]>();
  let ts = 1_700_000_000;
  let views = 0;
  const app = express();
  app.use(express.urlencoded({ extended: true }), express.json());
  app.post('/response/:id', (req, res) => {
    calls.push({
      method: 'response_url',
      body: { ...(req.body as Record<string, unknown>), id: req.params.id },
    });
    res.type('text/plain').send('ok');
  });
  app.post('/api/:method', (req, res) => {
    const body = { ...(req.body as Record<string, unknown>) };
    for (const key of ['blocks', 'view']) {
      if (typeof body[key] === 'string') body[key] = JSON.parse(body[key] as string);
    }
    const method = String(req.params.method);
    const call: SlackCall = { method, body };
    calls.push(call);
    const failure = failures.get(method)?.shift();
    if (failure) return res.json({ ok: false, error: failure });
    if (
      (method === 'chat.postMessage' || method === 'chat.update') &&
      outsideChannels.has(String(body.channel))
    )
      return res.json({ ok: false, error: 'not_in_channel' });
    switch (method) {
      case 'auth.test':
        return res.json({
          ok: true,
          user_id: 'U-BOT',
          bot_id: 'B-BOT',
          team_id: 'T-1',
          user: 'portalops',
          url: 'https://contoso.slack.com/',
        });
      case 'chat.postMessage':
        call.ts = `${ts++}.000100`;
        return res.json({ ok: true, channel: body.channel, ts: call.ts });
      case 'chat.update':
        return res.json({ ok: true, channel: body.channel, ts: body.ts });
      case 'views.open':
        views++;
        return res.json({ ok: true, view: { id: `V-${views}`, hash: `h-${views}` } });
      case 'views.update':
        return res.json({ ok: true, view: { id: body.view_id, hash: `${String(body.hash)}-next` } });
      case 'apps.connections.open':
        return options.socketUrl
          ? res.json({ ok: true, url: options.socketUrl })
          : res.json({ ok: false, error: 'not_allowed_token_type' });
      case 'users.info': {
        const user = SLACK_USERS[String(body.user)];
        return user
          ? res.json({
              ok: true,
              user: {
                id: body.user,
                real_name: user.name,
                profile: { email: user.email, real_name: user.name },
              },
            })
          : res.json({ ok: false, error: 'user_not_found' });
      }
      default:
        return res.json({ ok: true });
    }
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    /** A response_url of this fake (a request's `response_url` points here in tests). */
    responseUrl: (id: string) => `http://127.0.0.1:${port}/response/${id}`,
    calls,
    of: (method: string) => calls.filter((c) => c.method === method),
    /** The bot is no member of this channel from now on. */
    leaveChannel: (channel: string) => outsideChannels.add(channel),
    failNext: (method: string, error: string) =>
      failures.set(method, [...(failures.get(method) ?? []), error]),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The Block Kit blocks of a call as text, to match against. */
export function blocksText(call: SlackCall | undefined): string {
  return JSON.stringify(call?.body.blocks ?? '');
}

/** Waits for the bot to post a message whose blocks match. */
export function waitForPost(api: { of(method: string): SlackCall[] }, match: RegExp): Promise<SlackCall> {
  return waitUntil(
    () => api.of('chat.postMessage').find((c) => match.test(blocksText(c))),
    5_000,
    `a post matching ${match}`,
  );
}

/** Slack's request signature: `v0=` + HMAC-SHA256 of `v0:{timestamp}:{body}`. */
export function signature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** Sends a request to the bot signed like Slack signs it. */
export async function sendSigned(
  url: string,
  secret: string,
  body: string,
  contentType: string,
  options: { timestamp?: number; badSignature?: boolean; retryNum?: number } = {},
): Promise<{ status: number; text: string; ms: number }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signed = signature(secret, timestamp, body);
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': contentType,
      'X-Slack-Request-Timestamp': String(timestamp),
      'X-Slack-Signature': options.badSignature ? `${signed.slice(0, -4)}beef` : signed,
      ...(options.retryNum
        ? { 'X-Slack-Retry-Num': String(options.retryNum), 'X-Slack-Retry-Reason': 'http_timeout' }
        : {}),
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, text, ms: performance.now() - started };
}

/** A `/portal` slash command body. */
export function slashCommand(
  user: string,
  text: string,
  triggerId: string,
  channel = 'C-OPS',
  responseUrl = 'https://hooks.slack.invalid/commands/1',
): string {
  return new URLSearchParams({
    token: 'legacy',
    team_id: 'T-1',
    channel_id: channel,
    user_id: user,
    command: '/portal',
    text,
    trigger_id: triggerId,
    response_url: responseUrl,
    api_app_id: 'A-1',
  }).toString();
}

/** An interactivity payload (block_actions, view_submission) body. */
export function interaction(payload: object): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
