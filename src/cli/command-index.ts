/**
 * The compiled CLI's index of its commands: which group registers each one, and the line help
 * shows for it. With it, `portalops --help` and a mistyped command are answered without loading
 * any command's code.
 */
import { type Command, Help } from 'commander';

/** What the build writes to `dist/cli/command-index.json`. */
export interface CommandIndex {
  /** Command name → the key of its group in `COMMAND_GROUPS`. */
  groupOf: Record<string, string>;
  /** The top-level commands in help order, with help's term (`parse <text...>`) and description. */
  commands: { name: string; term: string; description: string }[];
}

/**
 * Indexes the commands each group registered.
 * @param program the bare program, for help's formatting of each term
 * @param perGroup the top-level commands of each group, in the order of `groups`
 */
export function indexCommands(
  program: Command,
  groups: string[],
  perGroup: readonly (readonly Command[])[],
): CommandIndex {
  const help = program.createHelp();
  const index: CommandIndex = { groupOf: {}, commands: [] };
  groups.forEach((group, i) => {
    for (const command of perGroup[i] ?? []) {
      index.groupOf[command.name()] = group;
      for (const alias of command.aliases()) index.groupOf[alias] = group;
      index.commands.push({
        name: command.name(),
        term: help.subcommandTerm(command),
        description: help.subcommandDescription(command),
      });
    }
  });
  return index;
}

/**
 * Adds a stand-in for every indexed command, so the program's help lists them all and a mistyped
 * command gets its suggestion, without any command's code.
 */
export function stubCommands(program: Command, index: CommandIndex): Command {
  const byName = new Map(index.commands.map((c) => [c.name, c]));
  const help = new Help();
  program.configureHelp({
    subcommandTerm: (command) => byName.get(command.name())?.term ?? help.subcommandTerm(command),
  });
  for (const command of index.commands) program.command(command.name).description(command.description);
  return program;
}
