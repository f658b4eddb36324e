/**
 * The terminal chat of a running PortalOps, reached from another terminal. `portalops start`
 * holds its data dir, so a second process cannot open the store; instead it serves the terminal
 * chat on a Unix socket inside the data dir (0700, so only its owner can connect), and
 * `portalops chat` relays the person's terminal to it. The running process then handles the
 * messages with its own engine and store, exactly as a chat in Teams or Slack.
 *
 * Protocol: the client's first line is JSON `{"as": "<sign-in name>"}`; every byte after it is
 * the terminal's input, and everything the server writes back is the terminal's output.
 */
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { Logger } from '../../logging/logger.ts';
import type { ChatCore } from '../core/chat-core.ts';
import { runTerminalChat } from './terminal-chat.ts';

/** The socket's file name in the data dir. */
const SOCKET_NAME = 'chat.sock';
/** Unix socket paths longer than this are refused by the operating system (108 on Linux). */
const MAX_SOCKET_PATH = 100;

/** Where the running process serves its terminal chat, or undefined when the path is too long. */
export function chatSocketPath(dataDir: string): string | undefined {
  const socket = path.resolve(dataDir, SOCKET_NAME);
  return socket.length <= MAX_SOCKET_PATH ? socket : undefined;
}

/** A served terminal chat; `close` stops taking connections and ends the open one. */
export interface ChatRelayServer {
  path: string;
  close(): Promise<void>;
}

/**
 * Serves the terminal chat of `core` on the data dir's socket. One terminal at a time: the
 * terminal surface is one per process, so a second connection is told to wait.
 */
export async function serveTerminalChat(
  core: ChatCore,
  dataDir: string,
  logger?: Logger,
): Promise<ChatRelayServer | undefined> {
  const socketPath = chatSocketPath(dataDir);
  if (!socketPath) return undefined;
  // A socket left by a process that was killed: the data dir lock says nobody else serves it.
  if (existsSync(socketPath)) unlinkSync(socketPath);
  let busy: net.Socket | undefined;
  const open = new Set<net.Socket>();
  // Half-open: the terminal's end of input must not cut off the answers still being written.
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    if (busy) {
      socket.end('Another terminal is chatting with this PortalOps; try again when it quits.\n');
      // Read (and drop) what it sends, so its end arrives and the connection closes.
      socket.resume();
      return;
    }
    busy = socket;
    const input = new PassThrough();
    let header = '';
    let started = false;
    socket.on('data', (chunk: Buffer) => {
      if (started) {
        input.write(chunk);
        return;
      }
      header += chunk.toString('utf8');
      const newline = header.indexOf('\n');
      if (newline < 0) {
        if (header.length > 4096) socket.destroy();
        return;
      }
      started = true;
      const rest = header.slice(newline + 1);
      let as = 'alice@contoso.com';
      try {
        const parsed = JSON.parse(header.slice(0, newline)) as { as?: unknown };
        if (typeof parsed.as === 'string' && parsed.as.trim()) as = parsed.as.trim();
      } catch {
        socket.end('This is the PortalOps terminal chat; connect with `portalops chat`.\n');
        return;
      }
      if (rest) input.write(rest);
      runTerminalChat(core, { as, input, output: socket })
        .catch((error: unknown) => logger?.warn({ err: error }, 'terminal chat ended with an error'))
        .finally(() => socket.end());
    });
    socket.on('end', () => input.end());
    socket.on('error', () => input.end());
    socket.on('close', () => {
      input.end();
      if (busy === socket) busy = undefined;
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  chmodSync(socketPath, 0o600);
  return {
    path: socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Relays this terminal to the chat a running PortalOps serves for `dataDir`. Resolves `false` at
 * once when nothing serves it there, `true` when the chat has ended.
 */
export async function relayTerminalChat(options: {
  dataDir: string;
  as: string;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}): Promise<boolean> {
  const socketPath = chatSocketPath(options.dataDir);
  if (!socketPath || !existsSync(socketPath)) return false;
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const socket = await new Promise<net.Socket | undefined>((resolve) => {
    const s = net.connect({ path: socketPath, allowHalfOpen: true });
    s.once('connect', () => resolve(s));
    s.once('error', () => resolve(undefined));
  });
  if (!socket) return false;
  socket.write(`${JSON.stringify({ as: options.as })}\n`);
  input.pipe(socket);
  socket.pipe(output, { end: false });
  // The server ending its side means the chat is over, whatever the terminal still sends.
  socket.once('end', () => socket.end());
  await new Promise<void>((resolve) => socket.once('close', () => resolve()));
  input.unpipe(socket);
  // Leave stdin free so the process can exit once the chat has ended.
  if (input === process.stdin) process.stdin.pause();
  return true;
}
