/**
 * The buttons of destructive requests: the requester's typed confirmation and withdrawal, and
 * the approvers' decisions. Registered by the approve command.
 */
import type { Approval } from '../domain/approval.ts';
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

/** What the alert card notes once a fix it asked for is confirmed (and, maybe, waits for an approver). */
function doneBy(approval: Approval, waiting: boolean): string {
  if (approval.kind !== 'restart-provisioning')
    return `Confirmed: ${approval.title}${waiting ? ' (waiting for approval)' : ''}`;
  return waiting ? 'Asked to restart provisioning (waiting for approval)' : 'Restarted provisioning';
}

/**
 * The alert a confirmation card names, when it is an open alert about the request's own site
 * (a forged alert id is ignored: the request goes on, the alert is not marked).
 */
function alertOf(click: CardClick, approval: Approval) {
  const id = click.data.alertId;
  const alert = id ? click.ctx.deps.alerts?.record(id) : undefined;
  const site = String(approval.params.site ?? '').toLowerCase();
  if (!alert || alert.state === 'resolved' || alert.environment !== approval.environment) return undefined;
  return alert.subdomain?.toLowerCase() === site ? alert : undefined;
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
    // A confirmation shown on an alert's card (a fix that asks first) goes back to being the alert.
    const alert = alertOf(click, approval);
    if (click.verb === 'request.confirm') {
      const outcome = await confirmRequest(ctx, approval.id, inputs.confirmText ?? '');
      const jobId = ctx.deps.approvals.get(approval.id)?.jobId;
      if (!jobId) return outcome;
      if (alert && ctx.deps.alerts) {
        // Waiting for an approver or running, the alert's card follows the job; the approval card is posted.
        const waiting = ctx.deps.approvals.get(approval.id)?.state === 'pending';
        const by = ctx.user.displayName ?? ctx.user.email ?? ctx.user.id;
        const view = await ctx.deps.alerts.startedJob(alert.id, by, doneBy(approval, waiting), jobId);
        return {
          ...outcome,
          replies: outcome.replies.filter((r) => r.trackJob !== jobId),
          ...(view ? { replace: view } : {}),
        };
      }
      // The confirmed card becomes the job's card, kept current as the job moves.
      if (outcome.replace && outcome.replace.type !== 'message' && click.messageId && ctx.conversation)
        await ctx.deps.engine.attachMessage(jobId, {
          surface: ctx.conversation.surface,
          conversationId: ctx.conversation.conversationId,
          messageId: click.messageId,
        });
      return outcome;
    }
    if (click.verb === 'request.cancel') {
      const outcome = await withdrawRequest(ctx, approval.id);
      const back = alert ? ctx.deps.alerts?.current(alert.id) : undefined;
      return back ? { ...outcome, replace: back } : outcome;
    }
    return decideRequest(
      ctx,
      approval.id,
      click.verb === 'approval.approve' ? 'approve' : 'reject',
      inputs.reason,
    );
  },
});
