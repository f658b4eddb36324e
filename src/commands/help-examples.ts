/**
 * What help's examples and next steps are built from: the asker's environments (where their
 * roles let them act), real sites in them (one of each state worth an example), their latest
 * job and the requests waiting for them. The site lists are read with a short deadline; an
 * environment that does not answer in time is named, and its examples keep placeholders. A
 * list read for someone's help in the last few seconds is used again (see recent-example-sites.ts).
 */
import type { EnvironmentEntry } from '../domain/environment.ts';
import { siteStateOf } from '../domain/site-state.ts';
import type { Website } from '../domain/website.ts';
import type { PowerPagesApi } from '../platform/ports.ts';
import type { Permission } from '../policy/policy.ts';
import type { CommandContext } from './command.ts';
import { RecentExampleSites } from './recent-example-sites.ts';

/** How long help waits for an environment's site list. */
export const SITE_LIST_DEADLINE_MS = 2_500;

/** Sites of one environment worth naming in examples (subdomains). */
export interface ExampleSites {
  /** Any site (the first listed). */
  any?: string;
  /** A configured site (one a reset takes). */
  configured?: string;
  /** A site whose provisioning failed. */
  failed?: string;
  /** A site whose portal package failed to install. */
  packageFailed?: string;
}

/** What examples are built from. */
export interface ExampleWorld {
  /** Registered environments with the sites found in them (undefined: the list could not be read). */
  environments: { entry: EnvironmentEntry; sites?: ExampleSites }[];
  /** Environments whose site list could not be read in time. */
  unreachable: string[];
  /** The asker's most recent job, and their most recent failed one. */
  latestJob?: string;
  failedJob?: string;
  /** A request waiting for the asker's decision. */
  pendingApproval?: string;
}

/** The sites worth an example among an environment's sites. */
export function exampleSites(sites: readonly Website[]): ExampleSites {
  const out: ExampleSites = {};
  for (const site of sites) {
    const state = siteStateOf(site);
    out.any ??= site.subdomain;
    if (state.kind === 'provisioning_failed') out.failed ??= site.subdomain;
    else if (state.kind === 'package_install_failed') out.packageFailed ??= site.subdomain;
    else if (state.kind === 'configured') out.configured ??= site.subdomain;
  }
  return out;
}

/** Recent example sites, per source of site lists (everyone asking help shares them). */
const recentSites = new WeakMap<PowerPagesApi, RecentExampleSites>();

function recentSitesOf(powerPages: PowerPagesApi): RecentExampleSites {
  let recent = recentSites.get(powerPages);
  if (!recent) {
    recent = new RecentExampleSites();
    recentSites.set(powerPages, recent);
  }
  return recent;
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref?.();
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * Reads the world help's examples name, for `ctx.user`: only environments where they hold a
 * role that lets them view are read.
 */
export async function readExampleWorld(
  ctx: CommandContext,
  deadlineMs = SITE_LIST_DEADLINE_MS,
): Promise<ExampleWorld> {
  const { registry, policy, powerPages, engine, approvals } = ctx.deps;
  const visible = registry.entries.filter((e) => policy.can(ctx.user, 'view', e.alias).allowed);
  const unreachable: string[] = [];
  const recent = recentSitesOf(powerPages);
  const at = ctx.deps.now();
  const environments = await Promise.all(
    visible.map(async (entry) => {
      try {
        const sites = await withDeadline(
          recent.get(entry.environmentId, at, async () =>
            Object.freeze(exampleSites(await powerPages.listWebsites(entry.environmentId))),
          ),
          deadlineMs,
        );
        return { entry, sites };
      } catch {
        unreachable.push(entry.alias);
        return { entry };
      }
    }),
  );
  const mine = [ctx.user.email, ctx.user.id].filter((x): x is string => Boolean(x));
  const jobs = mine.flatMap((id) => engine.list({ requesterId: id }));
  jobs.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const pending = approvals.list(
    (a) =>
      a.state === 'pending' &&
      !mine.some((id) => id.toLowerCase() === (a.requester.email ?? a.requester.id).toLowerCase()) &&
      policy.can(ctx.user, 'approve', a.environment).allowed,
  )[0];
  return {
    environments,
    unreachable: unreachable.sort(),
    ...(jobs[0] ? { latestJob: jobs[0].id } : {}),
    ...(jobs.find((j) => j.state === 'failed')
      ? { failedJob: jobs.find((j) => j.state === 'failed')!.id }
      : {}),
    ...(pending ? { pendingApproval: pending.id } : {}),
  };
}

/** Where an example for a command needing `permission` is set: the asker's first fitting environment. */
export interface ExamplePlace {
  env: string;
  sites: ExampleSites;
  /** Another environment the asker may act in (a migration's target), if any. */
  other?: string;
}

/**
 * The environment an example is set in: the first the asker may act in with `permission`,
 * preferring one with a site in the wanted state.
 */
export function placeFor(
  ctx: CommandContext,
  world: ExampleWorld,
  permission: Permission,
  wants?: keyof ExampleSites,
): ExamplePlace | undefined {
  const allowed = world.environments.filter(
    (e) => ctx.deps.policy.can(ctx.user, permission, e.entry.alias).allowed,
  );
  const chosen = (wants ? allowed.find((e) => e.sites?.[wants]) : undefined) ?? allowed[0];
  if (!chosen) return undefined;
  const other = allowed.find((e) => e !== chosen)?.entry.alias;
  return { env: chosen.entry.alias, sites: chosen.sites ?? {}, ...(other ? { other } : {}) };
}
