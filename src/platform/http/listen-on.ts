/**
 * Opening a local port for one of PortalOps' servers (Teams endpoint, Slack endpoint, simulator,
 * Agents Playground), with an answer an operator can act on when the port is taken: which
 * server, which address, and the variable that moves it.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import { PortalOpsError } from '../../domain/errors.ts';

/** Where a server listens and the setting that chooses its port. */
export interface ListenTarget {
  /** What listens, as people call it, e.g. "The Teams endpoint". */
  what: string;
  port: number;
  host: string;
  /** The environment variable that sets the port, e.g. `TEAMS_PORT`. */
  variable: string;
}

/**
 * `port_in_use` (or, for a port the process may not open, the same code with that reason) for a
 * listen error; undefined for other errors.
 */
export function portErrorOf(error: unknown, target: ListenTarget): PortalOpsError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = `${target.host}:${target.port}`;
  if (code === 'EADDRINUSE') {
    return new PortalOpsError(
      'port_in_use',
      `${target.what} cannot listen on ${where}: another program (perhaps another PortalOps) already uses that port. Stop it, or set ${target.variable} to a free port.`,
      { details: { port: target.port, host: target.host, variable: target.variable }, cause: error },
    );
  }
  if (code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    return new PortalOpsError(
      'port_in_use',
      `${target.what} cannot listen on ${where} (${code === 'EACCES' ? 'this user may not open that port' : 'this machine has no such address'}). Set ${target.variable} to another port${code === 'EADDRNOTAVAIL' ? ', or fix the host setting' : ''}.`,
      { details: { port: target.port, host: target.host, variable: target.variable }, cause: error },
    );
  }
  return undefined;
}

/** Runs `start` and turns a taken port into {@link portErrorOf}'s answer. */
export async function withPortErrors<T>(target: ListenTarget, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    throw portErrorOf(error, target) ?? error;
  }
}

/**
 * An HTTP server for `handler` listening on the target; rejects with `port_in_use` when the port
 * is taken. (Express 5's `app.listen` calls its callback on errors too, so it is not used.)
 */
export function listenOn(handler: RequestListener, target: ListenTarget): Promise<Server> {
  return withPortErrors(
    target,
    () =>
      new Promise<Server>((resolve, reject) => {
        const server = createServer(handler);
        const onError = (error: Error) => reject(error);
        server.once('error', onError);
        server.listen(target.port, target.host, () => {
          server.off('error', onError);
          resolve(server);
        });
      }),
  );
}

/**
 * Fails with `port_in_use` when the target's port cannot be opened now, for servers started by
 * another process (the Agents Playground) that would only say so in their own output.
 */
export async function checkPortFree(target: ListenTarget): Promise<void> {
  const server = await listenOn((_req, res) => res.end(), target);
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
