/**
 * The steps of a destructive request after it was asked: the requester's typed confirmation,
 * approvers' decisions, withdrawal. Shared by the text commands and the card buttons.
 */

import type { Approval } from '../domain/approval.ts';
import { isPortalOpsError, PortalOpsError } from '../domain/errors.ts';
import { jobView } from '../views/job-views.ts';
import type { View } from '../views/view.ts';
import type { ActionOutcome, CardUpdate } from './card-action.ts';
import { currentPlanSummary } from './destructive-plans.ts';
import { type CommandContext, type Reply, requesterOf } from './index-helpers.ts';

/** Who a job voided by a changed plan is cancelled by, as its card shows it. */
const PLAN_CHANGED_BY = 'PortalOps (the plan changed)';

/** What an action does to the card it came from, what it posts, and which other cards it updates. */
export type FlowOutcome = ActionOutcome;

/**
 * Every approval card of a request, brought to its current state: once a request is decided,
 * withdrawn or void, the cards others still have (the requester's, an escalation's) lose their
 * buttons too.
 */
export function approvalCards(ctx: CommandContext, approval: Approval): CardUpdate[] {
  const view = approvalView(approval, ctx.deps.policy.approversFor(approval.environment));
  return approval.messages
    .filter((m) => m.role === 'approval')
    .map((m) => ({ surface: m.surface, conversationId: m.conversationId, messageId: m.messageId, view }));
}

/** The approval card for a request in its current state. */
export function approvalView(approval: Approval, approverIds: string[]): View {
  const approvedBy = approval.decisions
    .filter((d) => d.decision === 'approve')
    .map((d) => d.by.displayName ?? d.by.email ?? d.by.id);
  const rejectedBy = approval.decisions.find((d) => d.decision === 'reject');
  const status =
    approval.state === 'pending'
      ? `Waiting for ${approval.required - approvedBy.length} more approval${approval.required - approvedBy.length === 1 ? '' : 's'}${approvedBy.length ? ` (approved by ${approvedBy.join(', ')})` : ''}`
      : approval.state === 'approved'
        ? `Approved by ${approvedBy.join(', ')}`
        : approval.state === 'rejected'
          ? `Rejected by ${rejectedBy?.by.displayName ?? rejectedBy?.by.id}${rejectedBy?.reason ? `: ${rejectedBy.reason}` : ''}`
          : approval.state === 'expired'
            ? 'Expired without enough approvals'
            : approval.state === 'void'
              ? `Void: ${approval.voidReason ?? 'the plan changed since it was requested.'} Ask again for a new approval.`
              : approval.state.replace('_', ' ');
  const data = { approvalId: approval.id, nonce: approval.nonce };
  return {
    type: 'approval-request',
    title: `Approve: ${approval.title}`,
    plan: approval.plan,
    requester: approval.requester.displayName ?? approval.requester.email ?? approval.requester.id,
    expiresAt: `${approval.expiresAt.slice(0, 16).replace('T', ' ')} UTC`,
    status,
    approverIds,
    buttons:
      approval.state === 'pending'
        ? [
            { verb: 'approval.approve', label: 'Approve', data, style: 'positive' },
            { verb: 'approval.reject', label: 'Reject', data, style: 'destructive' },
          ]
        : [],
  };
}

/** The requester typed the confirmation. */
export async function confirmRequest(
  ctx: CommandContext,
  approvalId: string,
  typed: string,
): Promise<FlowOutcome> {
  const confirmed = await ctx.deps.approvals.confirm(approvalId, ctx.user, typed);
  const requester = requesterOf(ctx.user);
  let job: Awaited<ReturnType<typeof ctx.deps.engine.submit>>;
  try {
    job = await ctx.deps.engine.submit({
      kind: confirmed.kind,
      params: confirmed.params,
      siteKey: confirmed.siteKey,
      requester,
      awaitApproval: confirmed.state === 'pending',
      approvalId: confirmed.id,
    });
  } catch (error) {
    await ctx.deps.approvals.cancel(confirmed.id, ctx.user);
    throw error;
  }
  const linked = await ctx.deps.approvals.attachJob(confirmed.id, job.id);
  if (linked.state === 'pending') {
    return {
      replace: {
        type: 'message',
        title: confirmed.title,
        text: `Confirmed by you. Waiting for approval (${confirmed.id}); job ${job.id} holds the site meanwhile.`,
      },
      replies: [
        {
          view: approvalView(linked, ctx.deps.policy.approversFor(linked.environment)),
          trackApproval: { id: linked.id, role: 'approval' },
        },
        { view: jobView(job), trackJob: job.id },
      ],
    };
  }
  return { replace: jobView(job), replies: [] };
}

/** An approver approves or rejects. */
export async function decideRequest(
  ctx: CommandContext,
  approvalId: string,
  decision: 'approve' | 'reject',
  reason?: string,
): Promise<FlowOutcome> {
  const existing = ctx.deps.approvals.get(approvalId);
  // Read again only for an approval that is otherwise allowed: a rejection lets nothing run.
  const current = () =>
    existing
      ? currentPlanSummary(ctx, existing)
      : Promise.reject(new PortalOpsError('not_found', `There is no approval request ${approvalId}.`));
  let decided: Approval;
  try {
    decided = await ctx.deps.approvals.decide(approvalId, ctx.user, decision, current, reason);
  } catch (error) {
    if (isPortalOpsError(error) && error.code === 'plan_changed') return voided(ctx, approvalId, error);
    throw error;
  }
  const by = requesterOf(ctx.user).id;
  const replies: Reply[] = [];
  if (decided.jobId && decided.state === 'approved') {
    const job = await ctx.deps.engine.release(decided.jobId, by);
    replies.push({ view: jobView(job), trackJob: job.id });
  } else if (decided.jobId && decided.state === 'rejected') {
    await ctx.deps.engine.cancel(decided.jobId, by);
  }
  return {
    replace: approvalView(decided, ctx.deps.policy.approversFor(decided.environment)),
    replies,
    updates: approvalCards(ctx, decided),
  };
}

/**
 * A request voided because its plan changed: its job gives the site back, the approval card
 * says what changed, and the conversation is asked for a new request.
 */
async function voided(ctx: CommandContext, approvalId: string, error: PortalOpsError): Promise<FlowOutcome> {
  const approval = ctx.deps.approvals.get(approvalId)!;
  if (approval.jobId && ctx.deps.engine.get(approval.jobId)?.state === 'awaiting_approval')
    await ctx.deps.engine.cancel(approval.jobId, PLAN_CHANGED_BY);
  const requester = approval.requester.displayName ?? approval.requester.email ?? approval.requester.id;
  return {
    replace: approvalView(approval, ctx.deps.policy.approversFor(approval.environment)),
    updates: approvalCards(ctx, approval),
    replies: [
      {
        view: {
          type: 'message',
          title: `The plan changed: ${approval.title}`,
          text: `${error.message} ${requester} can ask again to see the new plan and have it approved.`,
          tone: 'warning',
        },
      },
    ],
  };
}

/** The requester withdraws the request before it ran. */
export async function withdrawRequest(ctx: CommandContext, approvalId: string): Promise<FlowOutcome> {
  const approval = ctx.deps.approvals.get(approvalId);
  if (approval && approval.requester.id !== ctx.user.id && approval.requester.email !== ctx.user.email) {
    return {
      replies: [
        {
          view: {
            type: 'message',
            text: 'Only the person who asked can withdraw this request.',
            tone: 'error',
          },
        },
      ],
    };
  }
  const cancelled = await ctx.deps.approvals.cancel(approvalId, ctx.user);
  if (cancelled.jobId) await ctx.deps.engine.cancel(cancelled.jobId, requesterOf(ctx.user).id);
  return {
    replace: { type: 'message', title: cancelled.title, text: 'Cancelled. Nothing was changed.' },
    replies: [],
    updates: approvalCards(ctx, cancelled),
  };
}
