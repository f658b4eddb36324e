import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

/** One Bot Connector call the bot made. */
export interface ConnectorCall {
  method: 'POST' | 'PUT' | 'GET';
  conversationId: string;
  /** The activity id: the new one for a POST, the edited one for a PUT. */
  activityId?: string;
  replyToId?: string;
  body: Record<string, unknown>;
}

/** Teams people of the tests: Teams id → name and e-mail. */
export const TEAMS_USERS: Record<string, { name: string; email: string; aadObjectId: string }> = {
  '29:alice': { name: 'Alice Admin', email: 'alice@contoso.com', aadObjectId: 'aad-alice' },
  '29:bob': { name: 'Bob Approver', email: 'bob@contoso.com', aadObjectId: 'aad-bob' },
  '29:dave': { name: 'Dave Viewer', email: 'dave@contoso.com', aadObjectId: 'aad-dave' },
};

/**
 * A fake Bot Connector (the service a Teams bot answers through) on loopback: records every
 * send and update, answers member lookups, and can throttle the next calls with 429s.
 */
export async function startFakeConnector() {
  const calls: ConnectorCall[] = [];
  let throttleNext = 0;
  const app = express();
  app.use(express.json({ limit: '2mb' }));
  const throttled = (res: express.Response) => {
    if (throttleNext <= 0) return false;
    throttleNext--;
    res.setHeader('Retry-After', '0');
    res.status(429).json({ error: { code: 'TooManyRequests' } });
    return true;
  };
  app.post('/v3/conversations/:conversation/activities{/:replyTo}', (req, res) => {
    if (throttled(res)) return;
    const activityId = `act-${randomUUID()}`;
    calls.push({
      method: 'POST',
      conversationId: String(req.params.conversation),
      activityId,
      ...(req.params.replyTo ? { replyToId: String(req.params.replyTo) } : {}),
      body: req.body as Record<string, unknown>,
    });
    res.status(201).json({ id: activityId });
  });
  app.put('/v3/conversations/:conversation/activities/:activity', (req, res) => {
    if (throttled(res)) return;
    calls.push({
      method: 'PUT',
      conversationId: String(req.params.conversation),
      activityId: String(req.params.activity),
      body: req.body as Record<string, unknown>,
    });
    res.json({ id: req.params.activity });
  });
  app.get('/v3/conversations/:conversation/members/:user', (req, res) => {
    const user = TEAMS_USERS[String(req.params.user)];
    if (!user) return res.status(404).json({ error: { code: 'MemberNotFound' } });
    res.json({
      id: req.params.user,
      name: user.name,
      email: user.email,
      userPrincipalName: user.email,
      aadObjectId: user.aadObjectId,
    });
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    calls,
    /** Sends of new messages (not edits). */
    posts: () => calls.filter((c) => c.method === 'POST'),
    updates: () => calls.filter((c) => c.method === 'PUT'),
    /** Answers the next `n` sends or edits with 429 and `Retry-After: 0`. */
    throttle: (n: number) => {
      throttleNext = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let counter = 0;

/** Where an activity happens. */
export interface ActivityPlace {
  serviceUrl: string;
  conversationId?: string;
  conversationType?: 'personal' | 'groupChat' | 'channel';
}

const bot = { id: '28:portalops-bot', name: 'PortalOps' };

function base(place: ActivityPlace, userId: string) {
  const user = TEAMS_USERS[userId];
  return {
    id: `in-${++counter}-${randomUUID()}`,
    channelId: 'msteams',
    serviceUrl: place.serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: userId, name: user?.name ?? userId, aadObjectId: user?.aadObjectId },
    recipient: bot,
    conversation: {
      id: place.conversationId ?? `conv-${userId}`,
      conversationType: place.conversationType ?? 'personal',
      tenantId: 'tenant-1',
    },
    channelData: { tenant: { id: 'tenant-1' } },
  };
}

/** A message activity; `mention` adds an @PortalOps mention as Teams sends it in channels. */
export function messageActivity(place: ActivityPlace, userId: string, text: string, mention = false) {
  return {
    ...base(place, userId),
    type: 'message',
    text: mention ? `<at>PortalOps</at> ${text}` : text,
    ...(mention ? { entities: [{ type: 'mention', text: '<at>PortalOps</at>', mentioned: bot }] } : {}),
  };
}

/** The invoke Teams sends when someone clicks an `Action.Execute` button on a card. */
export function actionInvoke(
  place: ActivityPlace,
  userId: string,
  replyToId: string,
  action: { verb: string; data: Record<string, unknown> },
) {
  return {
    ...base(place, userId),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', id: randomUUID(), ...action }, trigger: 'manual' },
  };
}

/** Posts an activity to the bot like the Teams channel service does. */
export async function sendActivity(url: string, activity: object, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

/** The Adaptive Card a connector call carries. */
export function cardOf(call: ConnectorCall | undefined): Record<string, unknown> | undefined {
  const attachments = call?.body.attachments as { content: Record<string, unknown> }[] | undefined;
  return attachments?.[0]?.content;
}

/** The `Action.Execute` buttons of a card. */
export function actionsOf(card: Record<string, unknown> | undefined) {
  return ((card?.actions ?? []) as { title: string; verb: string; data: Record<string, unknown> }[]).filter(
    (a) => a.verb,
  );
}
