/**
 * The Microsoft 365 Agents Playground, started beside the bot in local mode: a Teams-like chat
 * in the browser that talks to `/api/messages` and plays the Bot Connector for the replies.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../logging/logger.ts';
import { checkPortFree, portErrorOf } from '../../platform/http/listen-on.ts';

/** The playground's people and conversations (matching the simulator's demo policy). */
export const PLAYGROUND_CONFIG = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../manifest/teams/playground.yml',
);

/** A running playground. */
export interface Playground {
  /** Where to open it in a browser. */
  url: string;
  stop(): Promise<void>;
}

/** The playground's command-line entry, or undefined when it is not installed (production installs). */
export function playgroundCli(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/cli.js');
  } catch {
    return undefined;
  }
}

/**
 * Starts the playground pointed at the bot's endpoint and resolves once it listens. It never
 * opens a browser and sends no telemetry.
 */
export async function startPlayground(options: {
  cli: string;
  endpoint: string;
  port: number;
  /** Its log file goes here. */
  workDir: string;
  /** Environment of the child process (PATH and the like). */
  env: Record<string, string | undefined>;
  logger: Logger;
  timeoutMs?: number;
}): Promise<Playground> {
  const target = {
    what: 'The Agents Playground',
    port: options.port,
    host: '127.0.0.1',
    variable: 'PORTALOPS_PLAYGROUND_PORT',
  };
  // The playground would only say so in its own output, after a while.
  await checkPortFree(target);
  const child: ChildProcess = spawn(
    process.execPath,
    [options.cli, '-e', options.endpoint, '-c', 'msteams', '-p', String(options.port), '--disable-telemetry'],
    {
      cwd: options.workDir,
      env: {
        ...options.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: PLAYGROUND_CONFIG,
        M365_AGENTS_PLAYGROUND_LOGFILE: path.join(options.workDir, 'playground.log'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`The Agents Playground did not start: ${output.trim() || 'no output'}`)),
      options.timeoutMs ?? 30_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Listening on (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (/EADDRINUSE/.test(output)) reject(portErrorOf({ code: 'EADDRINUSE' }, target));
      else reject(new Error(`The Agents Playground exited (${code}): ${output.trim()}`));
    });
  });
  child.stdout?.removeAllListeners('data');
  child.stdout?.resume();
  child.stderr?.resume();
  options.logger.debug({ port }, 'Agents Playground listening');
  return {
    url: `http://localhost:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3_000).unref();
      }),
  };
}
