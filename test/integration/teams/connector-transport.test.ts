import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Activity } from '@microsoft/agents-activity';
import { ConnectorClient, HeaderPropagation } from '@microsoft/agents-hosting';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SerializedCard } from '../../../src/chat/teams/activity-json.ts';
import { throttleWaitMs } from '../../../src/chat/teams/connector-retry.ts';
import { PooledHttpClient, pooledConnectorClient } from '../../../src/chat/teams/connector-transport.ts';
import { ADAPTIVE_CARD } from '../../../src/chat/teams/teams-activity.ts';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  socket: number;
}

/** A Bot Connector stand-in that records requests and answers what the test scripts. */
async function startConnector() {
  const received: Received[] = [];
  const answers: { status: number; headers?: Record<string, string>; body: string }[] = [];
  const sockets = new WeakMap<object, number>();
  let nextSocket = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      if (!sockets.has(req.socket)) sockets.set(req.socket, nextSocket++);
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        socket: sockets.get(req.socket)!,
      });
      const answer = answers.shift() ?? { status: 200, body: JSON.stringify({ id: 'answered' }) };
      res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    received,
    answers,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const reply = (text: string) =>
  Activity.fromObject({
    type: 'message',
    channelId: 'msteams',
    text,
    conversation: { id: 'conv-1' },
    serviceUrl: 'http://127.0.0.1/',
  });

describe('Bot Connector calls over the pooled transport', () => {
  let connector: Awaited<ReturnType<typeof startConnector>>;
  beforeEach(async () => {
    connector = await startConnector();
  });
  afterEach(async () => {
    await connector.close();
  });

  it('keeps the service URL, token and propagated headers of the SDK client', async () => {
    const propagated = new HeaderPropagation({ 'x-ms-correlation-id': 'corr-7' });
    propagated.propagate(['x-ms-correlation-id']);
    const client = pooledConnectorClient(
      ConnectorClient.createClientWithToken(connector.url, 'token-1', propagated),
    );
    connector.answers.push({ status: 201, body: JSON.stringify({ id: 'reply-1' }) });

    const answer = await client.replyToActivity('conv-1', 'act/9', reply('hello'));

    expect(answer.id).toBe('reply-1');
    const [call] = connector.received;
    expect(call?.method).toBe('POST');
    expect(call?.url).toBe('/v3/conversations/conv-1/activities/act%2F9');
    expect(call?.headers.authorization).toBe('Bearer token-1');
    expect(call?.headers['x-ms-correlation-id']).toBe('corr-7');
    expect(call?.headers['content-type']).toMatch(/application\/json/);
    expect(JSON.parse(call?.body ?? '{}')).toMatchObject({ type: 'message', text: 'hello' });
  });

  it('edits a message with PUT and keeps connections open from one call to the next', async () => {
    for (let i = 0; i < 10; i++) {
      // A new client per turn, as the adapter makes them: the connections outlive it.
      const client = pooledConnectorClient(
        ConnectorClient.createClientWithToken(connector.url, '', undefined),
      );
      await client.updateActivity('conv-1', 'act-1', reply(`edit ${i}`));
    }

    expect(connector.received.map((c) => c.method)).toEqual(Array(10).fill('PUT'));
    expect(connector.received[0]?.url).toBe('/v3/conversations/conv-1/activities/act-1');
    expect(connector.received[0]?.headers.authorization).toBeUndefined();
    expect(new Set(connector.received.map((c) => c.socket)).size).toBeLessThanOrEqual(2);
  });

  it('turns a throttling answer into the SDK error, with the wait the connector asked for', async () => {
    const client = pooledConnectorClient(
      ConnectorClient.createClientWithToken(connector.url, 't', undefined),
    );
    connector.answers.push({
      status: 429,
      headers: { 'Retry-After': '2' },
      body: JSON.stringify({ error: { code: 'TooManyRequests' } }),
    });

    const error = (await client.sendToConversation('conv-1', reply('x')).catch((e: unknown) => e)) as {
      status: number;
      response: { data: unknown };
    };

    expect(error.status).toBe(429);
    expect(error.response.data).toEqual({ error: { code: 'TooManyRequests' } });
    expect(throttleWaitMs(error, 1)).toBe(2_000);
  });

  it('adds query parameters, skips empty ones, and keeps a body that is not JSON as text', async () => {
    const http = new PooledHttpClient({ baseURL: connector.url });
    connector.answers.push({ status: 200, body: 'plain words' });

    const response = await http.request({ method: 'get', url: '/v3/x', params: { a: '1 2', b: undefined } });

    expect(connector.received[0]?.url).toBe('/v3/x?a=1+2');
    expect(response.data).toBe('plain words');
    expect(response.status).toBe(200);
  });

  it('sends an activity as the SDK client does, with a card kept as JSON text written once', async () => {
    const card = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Sites “dev”' }] };
    const activity = () =>
      Activity.fromObject({
        type: 'message',
        channelId: 'msteams',
        conversation: { id: 'conv-1' },
        serviceUrl: 'http://127.0.0.1/',
        relatesTo: {
          activityId: 'a-1',
          agent: { id: '28:bot' },
          channelId: 'msteams',
          conversation: { id: 'conv-1' },
          serviceUrl: 'http://127.0.0.1/',
        },
        attachments: [{ contentType: ADAPTIVE_CARD, content: new SerializedCard(JSON.stringify(card)) }],
      });
    const sdk = ConnectorClient.createClientWithToken(connector.url, 't', undefined);
    const pooled = pooledConnectorClient(
      ConnectorClient.createClientWithToken(connector.url, 't', undefined),
    );

    await sdk.replyToActivity('conv-1', 'a-1', activity());
    await pooled.replyToActivity('conv-1', 'a-1', activity());
    await pooled.sendToConversation('conv-1', activity());

    const [bySdk, byPooled, sent] = connector.received.map((c) => JSON.parse(c.body));
    expect(byPooled).toEqual(bySdk);
    expect(sent).toEqual(bySdk);
    expect(byPooled.relatesTo.bot).toEqual({ id: '28:bot' });
    expect(byPooled.channelId).toBe('msteams');
    expect(byPooled.attachments[0].content).toEqual(card);
  });

  it('fails plainly when the connector cannot be reached', async () => {
    const url = connector.url;
    await connector.close();
    const client = pooledConnectorClient(ConnectorClient.createClientWithToken(url, 't', undefined));
    const error = await client.sendToConversation('conv-1', reply('x')).catch((e: unknown) => e);
    expect(String((error as Error).message ?? error)).toMatch(/ECONNREFUSED|connect/i);
  });
});
