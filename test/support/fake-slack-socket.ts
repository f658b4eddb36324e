import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/** An envelope acknowledgement the bot sent back over the socket. */
export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

/**
 * Slack's Socket Mode end on loopback: greets each connection with `hello` as Slack does, sends
 * envelopes (slash commands, events, interactions) to the connected app and records its acks.
 */
export async function startFakeSocketMode() {
  const acks: SocketAck[] = [];
  let connection: WebSocket | undefined;
  let connections = 0;
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  server.on('connection', (socket) => {
    connection = socket;
    connections++;
    socket.on('message', (data) => acks.push(JSON.parse(String(data)) as SocketAck));
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'fake-socket-mode', approximate_connection_time: 3600 },
        connection_info: { app_id: 'A-1' },
      }),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/link`,
    acks,
    connected: () => connection !== undefined && connection.readyState === connection.OPEN,
    connections: () => connections,
    /** Sends one envelope; returns its id. `retryAttempt` marks Slack's redelivery of it. */
    send(
      type: 'slash_commands' | 'events_api' | 'interactive',
      payload: object,
      envelopeId = randomUUID(),
      retryAttempt = 0,
    ) {
      if (!connection) throw new Error('No app is connected to the Socket Mode server.');
      connection.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          payload,
          accepts_response_payload: type !== 'events_api',
          ...(type === 'events_api'
            ? { retry_attempt: retryAttempt, retry_reason: retryAttempt ? 'timeout' : '' }
            : {}),
        }),
      );
      return envelopeId;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
