/**
 * The provisioning rules checked before a job is submitted: a request with problems is answered
 * on its form, with every problem and its fix and the values kept, and never becomes a job (or
 * a failed job's alert). The job checks again when it runs, since the environment can change.
 */
import type { ProvisionRequest } from '../domain/provisioning-rules.ts';
import { provisionProblems } from '../jobs/kinds/provision.ts';
import type { CommandContext } from './command.ts';

/**
 * The problems of `request` in `environment`, as the form shows them ("message fix"); empty when
 * there are none or the commands cannot read the environment's Dataverse (the job checks then).
 */
export async function problemsOnForm(
  ctx: CommandContext,
  environment: string,
  request: ProvisionRequest,
  options: { ignoreSiteId?: string } = {},
): Promise<string[]> {
  const { dataverse, environments, powerPages } = ctx.deps;
  if (!dataverse) return [];
  const requester = ctx.user.email ?? ctx.user.id;
  const { problems } = await provisionProblems(
    { dataverse, environments, powerPages },
    environment,
    request,
    requester,
    options,
  );
  return problems.map((p) => `${p.message} ${p.fix}`.trim());
}
