/**
 * What the site lifecycle jobs (provision, restart provisioning, reset) need, and the lookups
 * they share: finding a site by what people call it, and reading someone's security roles.
 */
import { closestMatches } from '../../domain/closest-matches.ts';
import { PortalOpsError } from '../../domain/errors.ts';
import type { Website } from '../../domain/website.ts';
import type { ThrottleSignal } from '../../platform/http/throttle-signal.ts';
import type {
  ApplicationPackagesApi,
  Dataverse,
  DataverseFactory,
  Environments,
  PowerPagesApi,
} from '../../platform/ports.ts';
import type { Store } from '../../storage/store.ts';

/** The dependencies of the lifecycle job kinds. */
export interface LifecycleDeps {
  powerPages: PowerPagesApi;
  environments: Environments;
  dataverse: DataverseFactory;
  store: Store;
  /** Where configuration snapshots are written. */
  snapshotsDir: string;
  /** Throttled Dataverse answers, so bulk imports slow down. */
  throttle?: ThrottleSignal;
  /** Between polls of a platform operation or a site's status. */
  pollIntervalMs: number;
  /** How often and how long to check that a new site answers. */
  siteCheck: { attempts: number; intervalMs: number };
  /** The Power Platform API's application packages (retrying a failed portal package install). */
  applicationPackages?: ApplicationPackagesApi;
  /**
   * How long to wait for each platform phase before failing the step with the retryable
   * `operation_deadline_passed`; {@link DEFAULT_DEADLINES} when not given.
   */
  deadlines?: Partial<LifecycleDeadlines>;
}

/** Milliseconds a job waits for provisioning, the package install, a deletion and a data model migration. */
export interface LifecycleDeadlines {
  provisioningMs: number;
  packageInstallMs: number;
  deletionMs: number;
  dataModelMigrationMs: number;
}

/** The defaults of `PORTALOPS_*_DEADLINE_MINUTES`. */
export const DEFAULT_DEADLINES: LifecycleDeadlines = {
  provisioningMs: 360 * 60_000,
  packageInstallMs: 240 * 60_000,
  deletionMs: 60 * 60_000,
  // The migration article: a large site can take longer than anticipated.
  dataModelMigrationMs: 240 * 60_000,
};

/**
 * The site an admin means: by id, subdomain or name (case-insensitive). Throws `not_found`
 * with the closest names when nothing matches.
 */
export async function findSite(
  powerPages: PowerPagesApi,
  environmentId: string,
  wanted: string,
): Promise<Website> {
  const sites = await powerPages.listWebsites(environmentId);
  const key = wanted.trim().toLowerCase();
  const site = sites.find(
    (s) => s.id.toLowerCase() === key || s.subdomain.toLowerCase() === key || s.name.toLowerCase() === key,
  );
  if (site) return site;
  const suggestions = closestMatches(
    key,
    sites.map((s) => s.subdomain),
  );
  throw new PortalOpsError(
    'not_found',
    `There is no site "${wanted}" in this environment.${suggestions.length > 0 ? ` Did you mean ${suggestions.join(' or ')}?` : ''}`,
    { details: { suggestions } },
  );
}

/** Security role names of a person (by sign-in name) in an environment; undefined when they are not a user there. */
export async function rolesOf(
  dataverse: Dataverse,
  userPrincipalName: string,
): Promise<string[] | undefined> {
  const escaped = userPrincipalName.replace(/'/g, "''");
  const [user] = await dataverse.query('systemusers', {
    select: ['systemuserid'],
    filter: `domainname eq '${escaped}'`,
    top: 1,
  });
  if (!user) return undefined;
  return (await dataverse.getUserRoles(String(user.systemuserid))).map((r) => r.name);
}
