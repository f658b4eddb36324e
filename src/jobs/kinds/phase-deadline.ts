/**
 * How long a lifecycle step waits for the platform. The deadline of a phase is set the first
 * time the step waits and kept in the job context, so a restarted process keeps the same one;
 * when it passes, the step fails with the retryable `operation_deadline_passed`, and a retry
 * waits a fresh window for the same platform operation (nothing is submitted again).
 */
import { isPortalOpsError, PortalOpsError } from '../../domain/errors.ts';
import type { Operation } from '../../domain/website.ts';
import type { StepContext } from '../job-kind.ts';
import { DEFAULT_DEADLINES, type LifecycleDeadlines, type LifecycleDeps } from './lifecycle-deps.ts';

/** A platform phase a step waits for. */
export type Phase = 'provisioning' | 'packageInstall' | 'deletion' | 'dataModelMigration';

const WORDS: Record<Phase, string> = {
  provisioning: 'provisioning',
  packageInstall: 'the portal package install',
  deletion: 'the deletion',
  dataModelMigration: 'the data model migration',
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

/**
 * Forgets an operation the platform reports failed: the context fields that hold it (its URL,
 * when it was submitted) and the phase's deadline, so a retry submits again and waits afresh.
 */
export async function forgetFailedOperation(
  ctx: StepContext<LifecycleDeps>,
  phase: Phase,
  operationFields: readonly string[],
): Promise<void> {
  const forgotten: Record<string, undefined> = { [key(phase)]: undefined };
  for (const field of operationFields) forgotten[field] = undefined;
  await ctx.saveContext(forgotten);
}

/** Forgets a phase's deadline once the phase is over. */
export async function clearDeadline(ctx: StepContext<LifecycleDeps>, phase: Phase): Promise<void> {
  if (ctx.job.context[key(phase)] !== undefined) await ctx.saveContext({ [key(phase)]: undefined });
}

/**
 * Follows a Power Pages operation until the phase's deadline, telling the job's card its status
 * (`<label>: <status>`); a passed deadline fails the step as {@link deadlinePassed} does, naming
 * the operation's last status.
 */
export async function followOperation(
  ctx: StepContext<LifecycleDeps>,
  phase: Phase,
  deadline: number,
  operationUrl: string,
  label: string,
): Promise<Operation> {
  let lastStatus = '';
  try {
    return await ctx.deps.powerPages.waitForOperation(operationUrl, {
      pollIntervalMs: ctx.deps.pollIntervalMs,
      timeoutMs: Math.max(0, deadline - Date.now()),
      signal: ctx.signal,
      onPoll: (op) => {
        lastStatus = op.rawStatus;
        void ctx.heartbeat(`${label}: ${op.rawStatus || 'running'}`);
      },
    });
  } catch (error) {
    if (isPortalOpsError(error) && error.code === 'operation_deadline_passed')
      throw await deadlinePassed(ctx, phase, `operation status "${lastStatus || 'none'}"`);
    throw error;
  }
}
