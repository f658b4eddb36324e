/**
 * Who may act on what a card shows. A click carries ids (of an approval, a job or an alert) and
 * sometimes more, and anyone can forge any of it: the environment, site and job an action
 * concerns are read from the stored record its id names, and the clicker's role is checked in
 * that environment. A refusal names nothing of the record (not its environment, site or owner).
 */
import type { AlertRecord } from '../domain/alert.ts';
import type { Approval } from '../domain/approval.ts';
import { PortalOpsError } from '../domain/errors.ts';
import type { Identity } from '../domain/identity.ts';
import type { Job } from '../domain/job.ts';
import type { Permission } from '../policy/policy.ts';
import type { CommandDeps } from './command.ts';
import { environmentOfJob } from './job-environment.ts';

const NEEDS: Record<Permission, string> = {
  view: 'it needs a role in the environment it belongs to',
  operate: 'it needs the operator or admin role in the environment it belongs to',
  approve: 'it needs the approver or admin role in the environment it belongs to',
  admin: 'it needs the admin role in the environment it belongs to',
};

/** The refusal of a click on something the clicker may not act on. */
export function cantAct(why: string): PortalOpsError {
  return new PortalOpsError('forbidden', `You can't act on this: ${why}.`);
}

const same = (user: Identity, id: string) =>
  user.id.toLowerCase() === id.toLowerCase() || user.email?.toLowerCase() === id.toLowerCase();

/** Lookups and checks for card actions. */
export class CardAccess {
  constructor(private readonly deps: CommandDeps) {}

  /** Throws {@link cantAct} unless `user` holds `permission` in `environment`. */
  require(user: Identity, permission: Permission, environment: string): void {
    if (!this.deps.policy.can(user, permission, environment).allowed) throw cantAct(NEEDS[permission]);
  }

  /**
   * Like {@link require}; with no environment named (a form that asks for one), `user` must hold
   * `permission` in at least one registered environment.
   */
  requireIn(user: Identity, permission: Permission, environment: string): void {
    const scopes = environment ? [environment] : this.deps.registry.entries.map((e) => e.alias);
    if (!scopes.some((env) => this.deps.policy.can(user, permission, env).allowed))
      throw cantAct(NEEDS[permission]);
  }

  /** The job an id names (`job_not_found` otherwise) and the environment it acts in. */
  job(id: string | undefined): { job: Job; environment: string } {
    const job = id ? this.deps.engine.get(id) : undefined;
    if (!job) throw new PortalOpsError('job_not_found', `There is no job ${id ?? ''}.`);
    return { job, environment: environmentOfJob(job, this.deps.registry) };
  }

  /** Whether `user` asked for the job. */
  isRequester(user: Identity, job: Job): boolean {
    return same(user, job.requester.id);
  }

  /** Whether `user` may see what an approval's or a job's card shows. */
  maySee(user: Identity, subject: { approval: Approval } | { job: Job }): boolean {
    if ('approval' in subject) {
      const { approval } = subject;
      return (
        same(user, approval.requester.id) ||
        (Boolean(approval.requester.email) && same(user, approval.requester.email!)) ||
        this.deps.policy.can(user, 'view', approval.environment).allowed
      );
    }
    return (
      this.isRequester(user, subject.job) ||
      this.deps.policy.can(user, 'view', environmentOfJob(subject.job, this.deps.registry)).allowed
    );
  }

  /**
   * The alert a fix started from, when the click names one: it must be about the job or site the
   * action acts on, or the click is refused (a forged alert id would otherwise be marked).
   */
  alertFor(alert: AlertRecord | undefined, subject: { jobId?: string }): AlertRecord {
    if (!alert) throw new PortalOpsError('not_found', 'That alert no longer exists.');
    if (subject.jobId && alert.jobId !== subject.jobId) throw cantAct('the alert is about something else');
    return alert;
  }
}
