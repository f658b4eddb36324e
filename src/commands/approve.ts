/** `approve <id>` and `reject <id>`: decide on a request from the text line. */
import { approvalActions } from './approval-actions.ts';
import { decideRequest } from './approval-flow.ts';
import { type CommandSpec, defineCommand, say } from './index-helpers.ts';

function decisionCommand(kind: 'approve' | 'reject'): CommandSpec<typeof kind> {
  return defineCommand<typeof kind>({
    kind,
    title: kind === 'approve' ? 'Approve a request' : 'Reject a request',
    summary:
      kind === 'approve'
        ? 'approve a reset or migration someone else asked for'
        : 'turn down a request, with a reason',
    examples: kind === 'approve' ? ['approve A-3F9KX'] : ['reject A-3F9KX because the release freeze is on'],
    permission: 'approve',
    sideEffects: kind === 'approve' ? 'lets the job run' : 'cancels the job',
    // The request's buttons (confirm, withdraw, approve, reject) are registered once, with approve.
    ...(kind === 'approve' ? { actions: [approvalActions] } : {}),
    async run(ctx, intent) {
      if (!intent.approvalId) return say(`Which request? Say "${kind} A-XXXXX".`);
      const reason = 'reason' in intent ? intent.reason : undefined;
      const outcome = await decideRequest(ctx, intent.approvalId, kind, reason);
      return [...(outcome.replace ? [{ view: outcome.replace }] : []), ...outcome.replies];
    },
  });
}

export const approveCommand = decisionCommand('approve') as CommandSpec<'approve'>;
export const rejectCommand = decisionCommand('reject') as CommandSpec<'reject'>;
