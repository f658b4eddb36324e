/**
 * The buttons of destructive requests: the requester's typed confirmation and withdrawal, and
 * the approvers' decisions. Registered by the approve command.
 */
import { PortalOpsError } from '../domain/errors.ts';
import { approvalView, confirmRequest, decideRequest, withdrawRequest } from './approval-flow.ts';
import { cantAct } from './card-access.ts';
import { type CardClick, defineCardAction } from './card-action.ts';

/** The request's card as it is now, for whoever may see it (undefined before it was confirmed). */
function currentApproval(click: CardClick) {
  const approval = click.ctx.deps.approvals.get(click.data.approvalId ?? '');
  if (!approval || approval.state === 'awaiting_confirmation') return undefined;
  // An id is all a click needs to name a record: show it only to who may see it.
  if (!click.access.maySee(click.ctx.user, { approval })) return undefined;
  return approvalView(approval, click.ctx.deps.policy.approversFor(approval.environment));
}

/** Confirm, withdraw, approve and reject. */
export const approvalActions = defineCardAction({
  verbs: ['request.confirm', 'request.cancel', 'approval.approve', 'approval.reject'],
  current: (click) => (click.data.approvalId ? currentApproval(click) : undefined),
  async handle(click) {
    const { ctx, data, inputs } = click;
    const approval = ctx.deps.approvals.get(data.approvalId ?? '');
    if (!approval) throw new PortalOpsError('not_found', 'That request no longer exists.');
    // The request's own checks (requester, approver role) decide; this keeps a forged id
    // from even showing the request to someone with no role where it applies.
    if (!click.access.maySee(ctx.user, { approval }))
      throw cantAct('it needs a role in the environment it belongs to');
    if (data.nonce !== approval.nonce)
      return {
        replace: currentApproval(click) ?? {
          type: 'message',
          text: 'This card is out of date; nothing was changed.',
          tone: 'warning',
        },
        replies: [],
      };
    if (click.verb === 'request.confirm') return confirmRequest(ctx, approval.id, inputs.confirmText ?? '');
    if (click.verb === 'request.cancel') return withdrawRequest(ctx, approval.id);
    return decideRequest(
      ctx,
      approval.id,
      click.verb === 'approval.approve' ? 'approve' : 'reject',
      inputs.reason,
    );
  },
});
