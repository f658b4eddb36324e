/**
 * `retry-package-install`: a site whose portal package failed to install shows "Getting set up".
 * The seed's remedy: check the package status is Install Failed, retry the installation, as a
 * System Administrator, with the environment's default language set to the site's language, and
 * with the template's prerequisite solutions installed first.
 *
 * Steps: check those conditions and find the failed portal package in the environment's list
 * (nothing is submitted when a check fails); submit the install once, across crashes; follow the
 * install operation until a deadline; wait for the site's `packageInstallStatus` to be Installed.
 * Where the API cannot do it, the job fails with `package_install_unavailable` and the exact
 * admin-centre page.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  addOnInstalledBy,
  adminCenterEnvironmentUrl,
  findFailedPortalPackage,
} from '../../domain/application-package.ts';
import { isPortalOpsError, PortalOpsError } from '../../domain/errors.ts';
import { isServing, siteStateOf } from '../../domain/site-state.ts';
import { findTemplate, missingSolutions, type RequiredSolution } from '../../domain/templates.ts';
import type { ApplicationPackagesApi } from '../../platform/ports.ts';
import type { JobKindDefinition, StepContext, StepDefinition } from '../job-kind.ts';
import { findSite, type LifecycleDeps, rolesOf } from './lifecycle-deps.ts';
import { clearDeadline, deadlinePassed, phaseDeadline } from './phase-deadline.ts';

/** Parameters of a `retry-package-install` job. */
export interface RetryPackageInstallParams {
  environment: string;
  /** Id, subdomain or name of the site. */
  site: string;
  /** Sign-in name of the requester (the install must be run by a System Administrator). */
  requesterUpn: string;
}

/** What the job keeps in its context. */
export interface RetryPackageInstallContext {
  environmentId?: string;
  websiteId?: string;
  subdomain?: string;
  packageUniqueName?: string;
  adminCenterUrl?: string;
  /** Set just before the install is sent; with no operation URL it means "maybe accepted". */
  installSubmittedAt?: string;
  operationUrl?: string;
  /** The platform was found installing after a crash between sending and saving the operation. */
  installAdopted?: boolean;
  operationSucceeded?: boolean;
}

/** A check that failed, as failure cards list them. */
export interface PackageInstallProblem {
  field: string;
  code: string;
  message: string;
  fix: string;
}

const SYSTEM_ADMINISTRATOR = 'System Administrator';

function contextOf(ctx: StepContext<LifecycleDeps>): RetryPackageInstallContext {
  return ctx.job.context as RetryPackageInstallContext;
}

function packagesOf(ctx: StepContext<LifecycleDeps>): ApplicationPackagesApi {
  const api = ctx.deps.applicationPackages;
  if (!api) {
    throw new PortalOpsError(
      'config_invalid',
      'This PortalOps runs without a Power Platform API client for application packages.',
    );
  }
  return api;
}

/** The admin-centre fallback: where to go (what to check there is the code's guidance). */
function unavailable(
  reason: string,
  environmentId: string,
  details: Record<string, unknown> = {},
  cause?: unknown,
): PortalOpsError {
  const url = adminCenterEnvironmentUrl(environmentId);
  return new PortalOpsError(
    'package_install_unavailable',
    `${reason} Retry it in the Power Platform admin center: ${url} → Resources → Dynamics 365 apps.`,
    { details: { adminCenterUrl: url, ...details }, ...(cause ? { cause } : {}) },
  );
}

/** The seed's checks and the package to retry; all problems at once, nothing submitted. */
const check: StepDefinition<LifecycleDeps> = {
  id: 'check',
  title: 'Check the site, its language and prerequisites, and find the failed package',
  async run(ctx) {
    if (contextOf(ctx).packageUniqueName) return { skipped: true };
    const p = ctx.job.params as unknown as RetryPackageInstallParams;
    const env = await ctx.deps.environments.resolve(p.environment);
    const site = await findSite(ctx.deps.powerPages, env.environmentId, p.site);
    const state = siteStateOf(site);
    if (state.kind !== 'package_install_failed') {
      throw new PortalOpsError(
        'site_state_conflict',
        `${site.subdomain} is ${state.label}, not a failed package install ("Getting set up" with the package Install Failed); only a failed install is retried. (${state.details})`,
      );
    }
    const dataverse = ctx.deps.dataverse(env.dataverseUrl, env.tenantId);
    const [solutions, roles, packages] = await Promise.all([
      dataverse.query('solutions', { select: ['uniquename', 'version'] }),
      rolesOf(dataverse, p.requesterUpn),
      packagesOf(ctx).listPackages(env.environmentId),
    ]);
    const problems: PackageInstallProblem[] = [];
    if (site.selectedBaseLanguage !== env.baseLanguage) {
      problems.push({
        field: 'language',
        code: 'language_mismatch',
        message: `${site.subdomain} is in language ${site.selectedBaseLanguage}, but ${env.alias}'s default language is ${env.baseLanguage}; the package installs in the environment's default language.`,
        fix: `Set ${env.alias}'s default language to ${site.selectedBaseLanguage} for the install, or provision the site in ${env.baseLanguage}.`,
      });
    }
    const match = findFailedPortalPackage(packages, site.templateName);
    const installed = solutions.map((s) => String(s.uniquename));
    const template = findTemplate(site.templateName);
    const addOn = match.kind === 'found' ? addOnInstalledBy(match.package) : undefined;
    const missing: RequiredSolution[] = [
      ...(template ? missingSolutions(template, installed) : []),
      ...(addOn?.requiredSolutions ?? []).filter(
        (r) => !installed.some((name) => name.toLowerCase() === r.uniqueName.toLowerCase()),
      ),
    ].filter((r, i, all) => all.findIndex((x) => x.uniqueName === r.uniqueName) === i);
    if (missing.length > 0) {
      const what = addOn?.displayName ?? template?.displayName ?? site.templateName;
      problems.push({
        field: 'prerequisites',
        code: 'missing_prerequisite_solutions',
        message: `${what} needs ${missing.map((m) => m.displayName).join(' and ')} installed in ${env.alias} first.`,
        fix: `Install ${missing.map((m) => m.displayName).join(' and ')} in ${env.alias}, then retry.`,
      });
    }
    if (!roles?.includes(SYSTEM_ADMINISTRATOR)) {
      problems.push({
        field: 'requester',
        code: 'not_system_administrator',
        message: `${p.requesterUpn} is not a System Administrator in ${env.alias}; the package must be installed by one.`,
        fix: `Ask a System Administrator of ${env.alias} to retry the install.`,
      });
    }
    if (problems.length > 0) {
      throw new PortalOpsError(
        'package_install_preflight_failed',
        `The package install of ${site.subdomain} was not retried: ${problems.map((x) => x.message).join(' ')}`,
        { details: { problems } },
      );
    }
    if (match.kind === 'none') {
      throw unavailable(
        `${env.alias} lists no failed portal package PortalOps can retry through the Power Platform API.`,
        env.environmentId,
      );
    }
    if (match.kind === 'ambiguous') {
      throw unavailable(
        `${env.alias} lists several failed portal packages (${match.candidates.map((c) => c.uniqueName).join(', ')}), and none names ${site.templateName}.`,
        env.environmentId,
        { candidates: match.candidates.map((c) => c.uniqueName) },
      );
    }
    await ctx.saveContext({
      environmentId: env.environmentId,
      websiteId: site.id,
      subdomain: site.subdomain,
      packageUniqueName: match.package.uniqueName,
      adminCenterUrl: adminCenterEnvironmentUrl(env.environmentId),
    });
    return {
      output: { package: match.package.uniqueName, instancePackageId: match.package.instancePackageId },
    };
  },
};

/** Submits the install, exactly once across crashes. */
const submit: StepDefinition<LifecycleDeps> = {
  id: 'submit',
  title: 'Retry the package install',
  async run(ctx) {
    const context = contextOf(ctx);
    if (context.operationUrl || context.installAdopted) return { skipped: true };
    const environmentId = context.environmentId!;
    const uniqueName = context.packageUniqueName!;
    const api = packagesOf(ctx);
    if (context.installSubmittedAt) {
      // A previous run may have stopped after the platform accepted the install but before the
      // operation was saved: if the package is no longer failed, it was accepted; follow the site.
      const listed = (await api.listPackages(environmentId)).find((x) => x.uniqueName === uniqueName);
      if (listed && listed.state !== 'InstallFailed') {
        await ctx.saveContext({ installAdopted: true });
        return { output: { adopted: listed.state } };
      }
    }
    await ctx.saveContext({ installSubmittedAt: new Date().toISOString() });
    try {
      const accepted = await api.installPackage(environmentId, uniqueName);
      await ctx.saveContext({ operationUrl: accepted.operationUrl });
      return { output: { operationId: accepted.operationId } };
    } catch (error) {
      if (isPortalOpsError(error) && error.code === 'package_install_unavailable') {
        throw unavailable(
          `The Power Platform API refused to retry ${uniqueName}: ${error.message}`,
          environmentId,
          {
            uniqueName,
          },
          error,
        );
      }
      throw error;
    }
  },
};

/** Follows the install operation until it ends or the deadline passes. */
const follow: StepDefinition<LifecycleDeps> = {
  id: 'install',
  title: 'Follow the package install',
  async run(ctx) {
    const context = contextOf(ctx);
    if (!context.operationUrl || context.operationSucceeded) return { skipped: true };
    // One deadline for the whole install, saved in the job, so a resumed run keeps it.
    const deadline = await phaseDeadline(ctx, 'packageInstall');
    let lastStatus = '';
    let operation: Awaited<ReturnType<ApplicationPackagesApi['waitForInstall']>>;
    try {
      operation = await packagesOf(ctx).waitForInstall(context.operationUrl, {
        pollIntervalMs: ctx.deps.pollIntervalMs,
        timeoutMs: Math.max(0, deadline - Date.now()),
        signal: ctx.signal,
        onPoll: (op) => {
          lastStatus = op.status;
          void ctx.heartbeat(`Package install: ${op.status.toLowerCase()}`);
        },
      });
    } catch (error) {
      if (
        isPortalOpsError(error) &&
        error.code === 'request_timeout' &&
        Date.now() + ctx.deps.pollIntervalMs >= deadline
      )
        throw await deadlinePassed(
          ctx,
          'packageInstall',
          `install operation status "${lastStatus || 'none'}"`,
        );
      throw error;
    }
    if (operation.status !== 'Succeeded') {
      throw new PortalOpsError(
        'package_install_failed',
        `The retried package install ${operation.status.toLowerCase()}${operation.error ? `: ${operation.error.message}` : '.'} Its details are in the admin center: ${context.adminCenterUrl} → Resources → Dynamics 365 apps.`,
        { details: { websiteId: context.websiteId, adminCenterUrl: context.adminCenterUrl } },
      );
    }
    await ctx.saveContext({ operationSucceeded: true });
    return { output: { operationStatus: operation.status } };
  },
};

/** Waits until the site reports its package Installed. */
const waitSite: StepDefinition<LifecycleDeps> = {
  id: 'site',
  title: 'Wait for the site to finish setting up',
  async run(ctx) {
    const context = contextOf(ctx);
    const environmentId = context.environmentId!;
    const deadline = await phaseDeadline(ctx, 'packageInstall');
    for (;;) {
      const site = await ctx.deps.powerPages.getWebsite(environmentId, context.websiteId!);
      const state = siteStateOf(site);
      if (isServing(state)) {
        await clearDeadline(ctx, 'packageInstall');
        await ctx.setResult({
          websiteUrl: site.websiteUrl,
          websiteId: site.id,
          package: context.packageUniqueName,
        });
        return { output: { packageInstallStatus: site.packageInstallStatus } };
      }
      if (state.kind === 'package_install_failed') {
        // The site's status can lag the operation; the package list says whether it failed again.
        const listed = (await packagesOf(ctx).listPackages(environmentId)).find(
          (x) => x.uniqueName === context.packageUniqueName,
        );
        if (!listed || listed.state === 'InstallFailed') {
          throw new PortalOpsError(
            'package_install_failed',
            `The package of ${context.subdomain} failed to install again${listed?.lastError ? `: ${listed.lastError.message}` : '.'} Its details are in the admin center: ${context.adminCenterUrl} → Resources → Dynamics 365 apps.`,
            { details: { websiteId: site.id, adminCenterUrl: context.adminCenterUrl } },
          );
        }
      }
      if (Date.now() >= deadline)
        throw await deadlinePassed(
          ctx,
          'packageInstall',
          `packageInstallStatus "${site.packageInstallStatus}"`,
        );
      await ctx.heartbeat(`Site package: ${site.packageInstallStatus.toLowerCase()}`);
      await sleep(ctx.deps.pollIntervalMs, undefined, { signal: ctx.signal });
    }
  },
};

/** `retry-package-install`: check, retry the failed portal package install once, follow it to Installed. */
export const retryPackageInstallKind: JobKindDefinition<LifecycleDeps> = {
  kind: 'retry-package-install',
  title: (job) => {
    const p = job.params as unknown as RetryPackageInstallParams;
    return `Retry the package install of ${p.site} in ${p.environment}`;
  },
  steps: () => [check, submit, follow, waitSite],
};
