/** `who can approve [in env]`: the approvers policy names. */
import { defineCommand, say } from './index-helpers.ts';

export const whoCanApproveCommand = defineCommand<'who-can-approve'>({
  kind: 'who-can-approve',
  title: 'Who can approve',
  summary: 'the people who can approve resets and migrations',
  examples: ['who can approve resets in prod'],
  permission: 'view',
  environmentOf: (intent) => intent.environment,
  async run(ctx, intent) {
    const environments = intent.environment
      ? [intent.environment]
      : ctx.deps.registry.entries.map((e) => e.alias);
    const lines = environments.map((env) => {
      const approvers = ctx.deps.policy.approversFor(env);
      return `${env}: ${approvers.length > 0 ? approvers.join(', ') : 'nobody is configured'}`;
    });
    return say(
      `${lines.join('; ')}. ${ctx.deps.policy.approvalsRequired} approval(s) needed, never from the requester.`,
      { title: 'Approvers' },
    );
  },
});
