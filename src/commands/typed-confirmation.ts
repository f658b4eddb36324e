/**
 * The first step of every destructive request: record it as waiting for the requester's typed
 * confirmation, and show the plan with a field for the site name. An approver other than the
 * requester must then approve where `needsApproval` says so.
 */
import { siteKeyOf } from '../domain/job.ts';
import { type PlanBasis, summarizePlan } from '../policy/plan-basis.ts';
import type { CommandContext, Reply } from './index-helpers.ts';

/** What a destructive request asks for. */
export interface DestructiveRequest {
  /** The job kind the approval starts. */
  kind: string;
  /** The job's parameters. */
  params: Record<string, unknown>;
  /**
   * What the plan rests on (its operations, records and facts): the approval is bound to it and
   * is void when it changes, whether the approver decides or the job starts after the change.
   */
  basis: PlanBasis;
  environment: { alias: string; environmentId: string };
  /** The site's subdomain: what the requester types to confirm. */
  site: string;
  title: string;
  plan: string[];
  needsApproval: boolean;
  /** The label of the confirm button, e.g. "Reset". */
  confirmLabel: string;
}

/** Records the request and returns the confirmation card that asks for the site name. */
export async function askTypedConfirmation(ctx: CommandContext, request: DestructiveRequest): Promise<Reply> {
  const approval = await ctx.deps.approvals.create({
    kind: request.kind,
    params: request.params,
    siteKey: siteKeyOf(request.environment.environmentId, request.site),
    environment: request.environment.alias,
    confirmText: request.site,
    title: request.title,
    plan: request.plan,
    planSummary: summarizePlan(request.kind, request.params, request.basis),
    requester: ctx.user,
    needsApproval: request.needsApproval,
  });
  const data = { approvalId: approval.id, nonce: approval.nonce };
  const then = request.needsApproval ? ' Then an approver other than you must approve.' : '';
  return {
    view: {
      type: 'confirmation',
      title: `${request.title}?`,
      plan: request.plan,
      note: `Type ${request.site} to confirm.${then} The request expires ${approval.expiresAt.slice(0, 16).replace('T', ' ')} UTC.`,
      confirmInput: { id: 'confirmText', label: 'Site name', placeholder: request.site, required: true },
      confirm: { verb: 'request.confirm', label: request.confirmLabel, data, style: 'destructive' },
      cancel: { verb: 'request.cancel', label: 'Cancel', data },
    },
    trackApproval: { id: approval.id, role: 'confirmation' },
  };
}
