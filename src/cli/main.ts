import { Command, CommanderError } from 'commander';
import { registerChatCommand } from './chat-command.ts';
import { registerJobCommands } from './job-commands.ts';
import { registerMigrationCommands } from './migration-commands.ts';
import { registerPackageTeamsCommand } from './package-teams-command.ts';
import { registerParseCommand } from './parse-command.ts';
import { registerPlatformCommands } from './platform-commands.ts';
import { renderCliError } from './render-error.ts';
import { registerRetryPackageInstallCommand } from './retry-package-install-command.ts';
import { registerSimulatorCommand } from './simulator-command.ts';
import { registerStartCommand } from './start-command.ts';
import { registerStoreCommand } from './store-command.ts';

/** Writes command output; stdout for results, stderr for errors. Injectable for tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  /** Set by a command that finished but failed (e.g. a job that failed), to exit non-zero. */
  exitCode?: number;
}

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
};

/** Builds the `portalops` command tree. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('portalops')
    .description('Run Power Pages sites from chat: provision, reset, restart provisioning, migrate.')
    .option('--debug', 'print stack traces of unexpected failures')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showSuggestionAfterError(true);
  registerStartCommand(program, io);
  registerSimulatorCommand(program, io);
  registerPlatformCommands(program, io);
  registerJobCommands(program, io);
  registerRetryPackageInstallCommand(program, io);
  registerMigrationCommands(program, io);
  registerParseCommand(program, io);
  registerChatCommand(program, io);
  registerPackageTeamsCommand(program, io);
  registerStoreCommand(program, io);
  return program;
}

/**
 * Entry point of the `portalops` command.
 * @returns the process exit code
 */
export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return io.exitCode ?? 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode;
    }
    io.err(renderCliError(error, await loadFixLookup()));
    if (argv.includes('--debug') && error instanceof Error && error.stack) io.err(error.stack);
    return 1;
  }
}

async function loadFixLookup(): Promise<((code: string) => string | undefined) | undefined> {
  try {
    const { guidanceFor } = await import('../guidance/catalog.ts');
    return (code) => guidanceFor(code).steps[0];
  } catch {
    return undefined;
  }
}
