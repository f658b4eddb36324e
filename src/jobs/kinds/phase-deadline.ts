/**
 * How long a lifecycle step waits for the platform. The deadline of a phase is set the first
 * time the step waits and kept in the job context, so a restarted process keeps the same one;
 * when it passes, the step fails with the retryable `operation_deadline_passed`, and a retry
 * waits a fresh window for the same platform operation (nothing is submitted again).
 */
import { PortalOpsError } from '../../domain/errors.ts';
import type { StepContext } from '../job-kind.ts';
import { DEFAULT_DEADLINES, type LifecycleDeadlines, type LifecycleDeps } from './lifecycle-deps.ts';

/** A platform phase a step waits for. */
export type Phase = 'provisioning' | 'packageInstall' | 'deletion';

const WORDS: Record<Phase, string> = {
  provisioning: 'provisioning',
  packageInstall: 'the portal package install',
  deletion: 'the deletion',
};

const key = (phase: Phase) => `${phase}DeadlineAt`;
const budget = (ctx: StepContext<LifecycleDeps>, phase: Phase): number =>
  ctx.deps.deadlines?.[`${phase}Ms` as keyof LifecycleDeadlines] ??
  DEFAULT_DEADLINES[`${phase}Ms` as keyof LifecycleDeadlines];

/** The phase's deadline (epoch ms), set and saved on first use. */
export async function phaseDeadline(ctx: StepContext<LifecycleDeps>, phase: Phase): Promise<number> {
  const saved = ctx.job.context[key(phase)];
  if (typeof saved === 'number') return saved;
  const at = Date.now() + budget(ctx, phase);
  await ctx.saveContext({ [key(phase)]: at });
  return at;
}

/**
 * The error for a passed deadline; clears the saved deadline first so a retry waits afresh.
 * `lastSeen` is what the platform said last, verbatim.
 */
export async function deadlinePassed(
  ctx: StepContext<LifecycleDeps>,
  phase: Phase,
  lastSeen: string,
): Promise<PortalOpsError> {
  await ctx.saveContext({ [key(phase)]: undefined });
  const minutes = Math.round(budget(ctx, phase) / 60_000);
  return new PortalOpsError(
    'operation_deadline_passed',
    `The platform did not finish ${WORDS[phase]} within ${minutes} minute${minutes === 1 ? '' : 's'} (last seen: ${lastSeen}). It may still be working; retry the job to keep waiting.`,
    { retryable: true, details: { phase, lastSeen, deadlineMinutes: minutes } },
  );
}

/** Forgets a phase's deadline once the phase is over. */
export async function clearDeadline(ctx: StepContext<LifecycleDeps>, phase: Phase): Promise<void> {
  if (ctx.job.context[key(phase)] !== undefined) await ctx.saveContext({ [key(phase)]: undefined });
}
