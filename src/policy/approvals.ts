/**
 * Confirmations and approvals of destructive requests. A request first waits for its
 * requester to confirm (typing the site name), then for N approvers who are not the requester.
 * An approval is bound to the exact plan it approved (see plan-basis.ts): a changed plan voids
 * it, when an approver decides and again when its job starts. Requests expire, and every
 * decision is audited.
 */
import { randomInt } from 'node:crypto';
import type { Approval, ApprovalState, PlanSummary } from '../domain/approval.ts';
import { PortalOpsError } from '../domain/errors.ts';
import type { Store } from '../storage/store.ts';
import { describePlanChange } from './plan-basis.ts';
import type { Identity, Policy } from './policy.ts';

export type { Approval, ApprovalState } from '../domain/approval.ts';

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const newId = (prefix: string) =>
  `${prefix}-${Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')}`;

const same = (a: Identity, b: Identity) =>
  a.id.toLowerCase() === b.id.toLowerCase() ||
  (Boolean(a.email) && a.email?.toLowerCase() === b.email?.toLowerCase());

/** The approvals store and its rules. */
export class Approvals {
  constructor(
    private readonly store: Store,
    private readonly policy: Policy,
    private readonly now: () => number = Date.now,
  ) {}

  private get collection() {
    return this.store.collection('approvals');
  }

  get(id: string): Approval | undefined {
    return this.collection.get(id.toUpperCase());
  }

  list(filter: (a: Approval) => boolean = () => true): Approval[] {
    return this.collection.list(filter);
  }

  private async audit(
    actor: Identity,
    action: string,
    approval: Approval,
    outcome: string,
    details: Record<string, unknown> = {},
  ) {
    await this.store.appendAudit({
      actor: actor.email ?? actor.id,
      action,
      subject: `approval:${approval.id}`,
      outcome,
      details: {
        kind: approval.kind,
        siteKey: approval.siteKey,
        environment: approval.environment,
        jobId: approval.jobId,
        ...details,
      },
    });
  }

  /** Records a destructive request waiting for its requester's typed confirmation. */
  async create(
    input: Pick<
      Approval,
      | 'kind'
      | 'params'
      | 'siteKey'
      | 'environment'
      | 'confirmText'
      | 'title'
      | 'plan'
      | 'requester'
      | 'needsApproval'
    > & { planSummary: PlanSummary },
  ): Promise<Approval> {
    const at = this.now();
    const approval: Approval = {
      ...input,
      planHash: input.planSummary.hash,
      id: newId('A'),
      required: this.policy.approvalsRequired,
      decisions: [],
      state: 'awaiting_confirmation',
      nonce: newId('N'),
      createdAt: new Date(at).toISOString(),
      expiresAt: new Date(at + this.policy.data.approvals.expiresAfterHours * 3_600_000).toISOString(),
      messages: [],
    };
    await this.collection.put(approval);
    await this.audit(input.requester, 'approval.requested', approval, 'awaiting_confirmation');
    return approval;
  }

  /** Applies a change if the approval is still in `from`; refuses with a clear error otherwise. */
  private async transition(
    id: string,
    from: ApprovalState[],
    change: (a: Approval) => Approval,
  ): Promise<Approval> {
    let refusedState: ApprovalState | undefined;
    const updated = await this.collection.update(id.toUpperCase(), (current) => {
      if (!from.includes(current.state)) {
        refusedState = current.state;
        return undefined;
      }
      return { ...change(current), nonce: newId('N') };
    });
    if (!updated) throw new PortalOpsError('not_found', `There is no approval request ${id}.`);
    if (refusedState) {
      throw new PortalOpsError(
        'job_state_conflict',
        `Request ${updated.id} is already ${refusedState.replace('_', ' ')}.`,
        {
          details: { state: refusedState },
        },
      );
    }
    return updated;
  }

  /** Expires the request if its time is up; returns whether it did. */
  async expireIfDue(approval: Approval): Promise<boolean> {
    if (!['awaiting_confirmation', 'pending'].includes(approval.state)) return false;
    if (Date.parse(approval.expiresAt) > this.now()) return false;
    const expired = await this.transition(approval.id, ['awaiting_confirmation', 'pending'], (a) => ({
      ...a,
      state: 'expired',
    }));
    await this.audit({ id: 'system' }, 'approval.expired', expired, 'expired');
    return true;
  }

  /** The requester confirms by typing the site name. */
  async confirm(id: string, by: Identity, typed: string): Promise<Approval> {
    const approval = this.get(id);
    if (!approval) throw new PortalOpsError('not_found', `There is no request ${id}.`);
    if (await this.expireIfDue(approval))
      throw new PortalOpsError('job_state_conflict', `Request ${approval.id} has expired. Ask again.`);
    if (!same(approval.requester, by)) {
      await this.audit(by, 'approval.confirm_refused', approval, 'refused', { reason: 'not the requester' });
      throw new PortalOpsError('forbidden', 'Only the person who asked can confirm this request.');
    }
    if (typed.trim().toLowerCase() !== approval.confirmText.toLowerCase()) {
      throw new PortalOpsError(
        'invalid_input',
        `That does not match "${approval.confirmText}". Type the site name exactly to confirm.`,
      );
    }
    const confirmed = await this.transition(id, ['awaiting_confirmation'], (a) => ({
      ...a,
      state: a.needsApproval ? 'pending' : 'approved',
    }));
    await this.audit(by, 'approval.confirmed', confirmed, confirmed.state);
    return confirmed;
  }

  /** Links the job created for a confirmed request. */
  async attachJob(id: string, jobId: string): Promise<Approval> {
    const updated = await this.collection.update(id, (a) => ({ ...a, jobId }));
    return updated!;
  }

  /** Remembers where a card about this request was posted. */
  async attachMessage(id: string, message: Approval['messages'][number]): Promise<void> {
    await this.collection.update(id, (a) => ({
      ...a,
      messages: [...a.messages.filter((m) => m.messageId !== message.messageId), message],
    }));
  }

  /**
   * An approver decides. Refused (and audited) for the requester, for people without the
   * approver role, twice by the same person, after expiry, or when the plan changed: then the
   * request is void and the error (`plan_changed`) says what changed.
   */
  async decide(
    id: string,
    by: Identity,
    decision: 'approve' | 'reject',
    /** The plan as it is now; read only once the decision is otherwise allowed. */
    currentPlan: () => Promise<PlanSummary>,
    reason?: string,
  ): Promise<Approval> {
    const approval = this.get(id);
    if (!approval) throw new PortalOpsError('not_found', `There is no approval request ${id}.`);
    const refuse = async (code: 'forbidden' | 'job_state_conflict', message: string, why: string) => {
      await this.audit(by, `approval.${decision}_refused`, approval, 'refused', { reason: why });
      return new PortalOpsError(code, message);
    };
    if (await this.expireIfDue(approval))
      throw await refuse(
        'job_state_conflict',
        `Request ${approval.id} expired before it was approved. Ask again.`,
        'expired',
      );
    if (approval.state !== 'pending')
      throw await refuse(
        'job_state_conflict',
        `Request ${approval.id} is ${approval.state.replace('_', ' ')}.`,
        approval.state,
      );
    if (same(approval.requester, by)) {
      throw await refuse(
        'forbidden',
        'You cannot approve your own request; another approver has to.',
        'self-approval',
      );
    }
    const allowed = this.policy.can(by, 'approve', approval.environment);
    if (!allowed.allowed)
      throw await refuse('forbidden', allowed.reason ?? 'You may not approve this.', 'not an approver');
    if (approval.decisions.some((d) => same(d.by, by)))
      throw await refuse('job_state_conflict', 'You already decided on this request.', 'duplicate');
    // A rejection needs no check: turning down a plan that changed changes nothing.
    const now = decision === 'approve' ? await currentPlan() : undefined;
    if (now && now.hash !== approval.planHash) {
      const change = describePlanChange(approval.planSummary, now, 'requested');
      await voidApproval(this.store, approval.id, by, change);
      throw planChangedError(approval.id, change);
    }
    const at = new Date(this.now()).toISOString();
    const updated = await this.transition(id, ['pending'], (a) => {
      const decisions = [...a.decisions, { by, decision, at, ...(reason ? { reason } : {}) }];
      const approvals = decisions.filter((d) => d.decision === 'approve').length;
      const state: ApprovalState =
        decision === 'reject' ? 'rejected' : approvals >= a.required ? 'approved' : 'pending';
      return { ...a, decisions, state };
    });
    await this.audit(
      by,
      decision === 'approve' ? 'approval.granted' : 'approval.rejected',
      updated,
      updated.state,
      reason ? { reason } : {},
    );
    return updated;
  }

  /** The requester withdraws a request that has not run yet. */
  async cancel(id: string, by: Identity): Promise<Approval> {
    const cancelled = await this.transition(id, ['awaiting_confirmation', 'pending'], (a) => ({
      ...a,
      state: 'cancelled',
    }));
    await this.audit(by, 'approval.cancelled', cancelled, 'cancelled');
    return cancelled;
  }

  /** Requests whose reminder is due (before expiry) and those that expired, marking both. */
  async sweep(): Promise<{ reminders: Approval[]; expired: Approval[]; escalations: Approval[] }> {
    const reminders: Approval[] = [];
    const expired: Approval[] = [];
    const escalations: Approval[] = [];
    const before = this.policy.data.approvals.reminderBeforeHours * 3_600_000;
    const escalateAfter = this.policy.data.approvals.escalateAfterHours * 3_600_000;
    for (const approval of this.list((a) => a.state === 'pending' || a.state === 'awaiting_confirmation')) {
      if (await this.expireIfDue(approval)) {
        expired.push(this.get(approval.id)!);
      } else if (
        approval.state === 'pending' &&
        !approval.reminderSentAt &&
        Date.parse(approval.expiresAt) - this.now() <= before
      ) {
        const updated = await this.collection.update(approval.id, (a) => ({
          ...a,
          reminderSentAt: new Date(this.now()).toISOString(),
        }));
        if (updated) reminders.push(updated);
      }
      const current = this.get(approval.id);
      if (
        current?.state === 'pending' &&
        escalateAfter > 0 &&
        !current.escalatedAt &&
        this.now() - Date.parse(current.createdAt) >= escalateAfter
      ) {
        const updated = await this.collection.update(approval.id, (a) => ({
          ...a,
          escalatedAt: new Date(this.now()).toISOString(),
        }));
        if (updated) escalations.push(updated);
      }
    }
    return { reminders, expired, escalations };
  }
}

/** The error of a request voided because its plan changed; the message says what changed. */
export function planChangedError(approvalId: string, change: string): PortalOpsError {
  return new PortalOpsError(
    'plan_changed',
    `${change} Request ${approvalId} is void, so nothing was changed; ask again to get the new plan approved.`,
    { details: { approvalId } },
  );
}

/**
 * Voids a request that has not run yet because its plan changed, keeping what changed for its
 * card, and audits it. Used where an approver decides and where the job starts.
 */
export async function voidApproval(
  store: Store,
  id: string,
  by: Identity,
  reason: string,
): Promise<Approval | undefined> {
  let changed = false;
  const voided = await store.collection('approvals').update(id.toUpperCase(), (a) => {
    if (!['awaiting_confirmation', 'pending', 'approved'].includes(a.state)) return undefined;
    changed = true;
    return { ...a, state: 'void', voidReason: reason, nonce: newId('N') };
  });
  if (!voided || !changed) return voided;
  await store.appendAudit({
    actor: by.email ?? by.id,
    action: 'approval.voided',
    subject: `approval:${voided.id}`,
    outcome: 'void',
    details: {
      kind: voided.kind,
      siteKey: voided.siteKey,
      environment: voided.environment,
      jobId: voided.jobId,
      reason,
    },
  });
  return voided;
}
