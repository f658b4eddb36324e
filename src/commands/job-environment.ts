/**
 * The environment a job acts in, from the site it holds (its site key names the environment id),
 * so a role check on a job never depends on which parameter a kind calls its environment.
 */
import type { EnvironmentRegistry } from '../config/environment-registry.ts';
import type { Job } from '../domain/job.ts';

/** The job's environment alias; its environment id when the registry no longer knows it. */
export function environmentOfJob(job: Pick<Job, 'siteKey'>, registry: EnvironmentRegistry): string {
  const environmentId = job.siteKey.split('/')[0] ?? '';
  return registry.find(environmentId)?.alias ?? environmentId;
}
