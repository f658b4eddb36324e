/** `help`: what the caller may run, with examples. */
import { type CommandSpec, defineCommand } from './command.ts';

/** Help lists only commands the caller may run somewhere; the registry fills `commands`. */
export function helpCommand(all: () => CommandSpec[]): CommandSpec<'help'> {
  return defineCommand<'help'>({
    kind: 'help',
    title: 'Help',
    summary: 'what I can do for you, with examples',
    examples: ['help', 'help reset'],
    permission: 'view',
    async run(ctx, intent) {
      const environments = ctx.deps.registry.entries.map((e) => e.alias);
      const allowed = all().filter(
        (spec) =>
          spec.kind !== 'help' &&
          (!intent.topic || spec.kind === intent.topic) &&
          environments.some((env) => ctx.deps.policy.can(ctx.user, spec.permission, env).allowed),
      );
      return [
        {
          view: {
            type: 'help',
            commands: allowed.map((spec) => ({
              title: spec.title,
              summary: `${spec.summary}${spec.destructive ? ' (asks you to confirm and an approver to approve)' : ''}`,
              examples: spec.examples,
            })),
          },
        },
      ];
    },
  });
}
