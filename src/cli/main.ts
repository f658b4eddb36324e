import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { processEnvironment } from '../config/process-environment.ts';
import { type CommandIndex, indexCommands, stubCommands } from './command-index.ts';
import { renderCliError } from './render-error.ts';

/** Writes command output; stdout for results, stderr for errors. Injectable for tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  /** Set by a command that finished but failed (e.g. a job that failed), to exit non-zero. */
  exitCode?: number;
}

/** Adds one group of commands to the program. */
export type RegisterCommands = (program: Command, io: CliIo) => void;

/**
 * Every command group, in the order help lists them, each loaded only when one of its commands
 * runs: `portalops --help` must not pay for the chat SDKs, the simulator or the migration code.
 * A new command goes into a group here (its module's top-level imports load with it).
 */
export const COMMAND_GROUPS: Record<string, () => Promise<RegisterCommands>> = {
  start: async () => (await import('./start-command.ts')).registerStartCommand,
  simulator: async () => (await import('./simulator-command.ts')).registerSimulatorCommand,
  platform: async () => (await import('./platform-commands.ts')).registerPlatformCommands,
  jobs: async () => (await import('./job-commands.ts')).registerJobCommands,
  retryPackageInstall: async () =>
    (await import('./retry-package-install-command.ts')).registerRetryPackageInstallCommand,
  restartSite: async () => (await import('./restart-site-command.ts')).registerRestartSiteCommand,
  moveDataModel: async () => (await import('./move-data-model-command.ts')).registerMoveDataModelCommand,
  migration: async () => (await import('./migration-commands.ts')).registerMigrationCommands,
  parse: async () => (await import('./parse-command.ts')).registerParseCommand,
  chat: async () => (await import('./chat-command.ts')).registerChatCommand,
  packageTeams: async () => (await import('./package-teams-command.ts')).registerPackageTeamsCommand,
  store: async () => (await import('./store-command.ts')).registerStoreCommand,
};

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: processEnvironment(),
};

/** The bare `portalops` program: description, global options, output and error handling. */
function baseProgram(io: CliIo): Command {
  return new Command('portalops')
    .description('Run Power Pages sites from chat: provision, reset, restart provisioning, migrate.')
    .option('--debug', 'print stack traces of unexpected failures')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showSuggestionAfterError(true);
}

/**
 * Builds the `portalops` command tree with the given groups (all of them by default).
 * @example const program = await buildProgram(io, ['parse']);
 */
export async function buildProgram(
  io: CliIo,
  groups: string[] = Object.keys(COMMAND_GROUPS),
): Promise<Command> {
  const program = baseProgram(io);
  const registers = await Promise.all(groups.map((group) => COMMAND_GROUPS[group]!()));
  for (const register of registers) register(program, io);
  return program;
}

/** Lists every command with its group and help line; the build writes it next to the compiled CLI. */
export async function buildCommandIndex(): Promise<CommandIndex> {
  const io: CliIo = { out: () => {}, err: () => {}, env: {} };
  const groups = Object.keys(COMMAND_GROUPS);
  const perGroup = await Promise.all(groups.map(async (group) => (await buildProgram(io, [group])).commands));
  return indexCommands(baseProgram(io), groups, perGroup);
}

/**
 * The program for these arguments. The compiled CLI carries an index of the commands, so it
 * loads only the group of the command asked for, and none for help or a mistyped command
 * (stand-ins from the index answer those). Run from sources, every group is loaded.
 */
async function programFor(argv: string[], io: CliIo): Promise<Command> {
  const index = readCommandIndex();
  if (!index) return buildProgram(io);
  const words = argv.filter((arg) => !arg.startsWith('-'));
  const asked = words[0] === 'help' ? words[1] : words[0];
  const group = asked === undefined ? undefined : index.groupOf[asked];
  if (group !== undefined && COMMAND_GROUPS[group]) return buildProgram(io, [group]);
  return stubCommands(baseProgram(io), index);
}

function readCommandIndex(): CommandIndex | undefined {
  try {
    return JSON.parse(readFileSync(new URL('./command-index.json', import.meta.url), 'utf8')) as CommandIndex;
  } catch {
    return undefined;
  }
}

/**
 * Entry point of the `portalops` command.
 * @returns the process exit code
 */
export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  try {
    const program = await programFor(argv, io);
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
