/** `why can't I <command> [in env]`: the policy's reason, and who can help. */
import type { CommandSpec } from './index-helpers.ts';
import { defineCommand, say } from './index-helpers.ts';

/** Built with the registry so it can look up the command's permission. */
export function whyCantICommand(find: (kind: string) => CommandSpec | undefined): CommandSpec<'why-cant-i'> {
  return defineCommand<'why-cant-i'>({
    kind: 'why-cant-i',
    title: "Why can't I",
    summary: 'why a command is refused to you, and who can run or approve it',
    examples: ["why can't I reset contoso-dev in prod"],
    permission: 'view',
    environmentOf: (intent) => intent.environment,
    async run(ctx, intent) {
      const spec = intent.command ? find(intent.command) : undefined;
      if (!spec) return say('Which command? For example "why can\'t I reset in prod".');
      const environments = intent.environment
        ? [intent.environment]
        : ctx.deps.registry.entries.map((e) => e.alias);
      const lines = environments.map((env) => {
        const decision = ctx.deps.policy.can(ctx.user, spec.permission, env);
        const approval =
          spec.approval === 'always' ||
          (spec.approval === 'protected-target' && ctx.deps.registry.get(env).protected);
        return decision.allowed
          ? `${env}: you can ${spec.title.toLowerCase()}${approval ? ', and an approver must approve it' : ''}.`
          : `${env}: ${decision.reason} Ask ${ctx.deps.policy.approversFor(env).join(' or ') || 'an administrator'}.`;
      });
      return say(lines.join(' '), { title: spec.title });
    },
  });
}
