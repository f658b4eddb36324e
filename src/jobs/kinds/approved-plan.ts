/**
 * The check a job makes where it fixes its plan, before its first write: the plan it is about to
 * carry out must be the one its request was approved for. Checked once; a job resumed after a
 * crash or retried after a failure goes on with the plan it already checked (what is left of it).
 */
import { PortalOpsError } from '../../domain/errors.ts';
import { planChangedError, voidApproval } from '../../policy/approvals.ts';
import { describePlanChange, type PlanBasis, summarizePlan } from '../../policy/plan-basis.ts';
import type { StepContext } from '../job-kind.ts';
import type { LifecycleDeps } from './lifecycle-deps.ts';

/** Where the job context records that its plan was found to be the approved one. */
const CHECKED = 'approvedPlanChecked';

/**
 * Throws `plan_changed` (and voids the approval) when the plan differs from the approved one,
 * saying what changed; does nothing for a job without an approval or already checked.
 */
export async function checkApprovedPlan(
  ctx: StepContext<LifecycleDeps>,
  basisNow: () => PlanBasis | Promise<PlanBasis>,
): Promise<void> {
  const approvalId = ctx.job.approvalId;
  if (!approvalId || ctx.job.context[CHECKED]) return;
  const approval = ctx.deps.store.collection('approvals').get(approvalId);
  if (approval?.state === 'void') throw planChangedError(approval.id, approval.voidReason ?? '');
  if (approval?.state !== 'approved') {
    throw new PortalOpsError(
      'job_state_conflict',
      `Request ${approvalId} is ${approval ? approval.state.replace('_', ' ') : 'gone'}, not approved, so nothing was changed.`,
    );
  }
  const now = summarizePlan(approval.kind, approval.params, await basisNow());
  if (now.hash !== approval.planHash) {
    const change = describePlanChange(approval.planSummary, now, 'approved');
    await voidApproval(ctx.deps.store, approval.id, { id: 'system' }, change);
    throw planChangedError(approval.id, change);
  }
  await ctx.saveContext({ [CHECKED]: now.hash });
}
