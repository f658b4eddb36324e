/** Re-exports the pieces command files share. */
export { askEnvironment, provisionForm } from './ask.ts';
export {
  type CommandContext,
  type CommandSpec,
  defineCommand,
  type Reply,
  requesterOf,
  say,
} from './command.ts';
