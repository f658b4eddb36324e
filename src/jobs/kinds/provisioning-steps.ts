/**
 * The steps every provisioning shares (first provisioning, restart, change and restart,
 * re-provisioning after a reset): submit the create, follow the operation, follow the package
 * install, check that the site answers. Each step resumes from the job context, so a create
 * the platform accepted is never submitted twice.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { PortalOpsError } from '../../domain/errors.ts';
import { isServing, siteStateOf } from '../../domain/site-state.ts';
import type { CreateWebsiteRequest, Website } from '../../domain/website.ts';
import type { StepContext, StepDefinition } from '../job-kind.ts';
import type { LifecycleDeps } from './lifecycle-deps.ts';
import { clearDeadline, deadlinePassed, followOperation, phaseDeadline } from './phase-deadline.ts';

/** What provisioning keeps in the job context. */
export interface ProvisioningContext {
  environmentId?: string;
  createRequest?: CreateWebsiteRequest;
  /** Set just before the create is sent; with no operation URL it means "maybe accepted". */
  createSubmittedAt?: string;
  operationUrl?: string;
  /** Set once the operation succeeded and the new site was found in the list. */
  operationSucceeded?: boolean;
  websiteId?: string;
  websiteUrl?: string;
}

/** The context of the running job, typed. */
export function provisioningContext(ctx: StepContext<LifecycleDeps>): ProvisioningContext {
  return ctx.job.context as ProvisioningContext;
}

function requireCreate(context: ProvisioningContext): {
  environmentId: string;
  request: CreateWebsiteRequest;
} {
  if (!context.environmentId || !context.createRequest) {
    throw new PortalOpsError('platform_error', 'The job lost the values to provision with; start it again.');
  }
  return { environmentId: context.environmentId, request: context.createRequest };
}

/**
 * The site a create request made, among an environment's sites. The poll names no site
 * (operation-status-poll.inferred.md), so it is found the way Microsoft's client finds it: by the
 * website record the request re-used, then by the subdomain (unique per site), then by the name
 * when exactly one site has it. The adopt-after-crash check uses the same keys.
 */
export function findCreatedSite(sites: Website[], request: CreateWebsiteRequest): Website | undefined {
  if (request.websiteRecordId) {
    const record = request.websiteRecordId.toLowerCase();
    const byRecord = sites.find((s) => s.websiteRecordId.toLowerCase() === record);
    if (byRecord) return byRecord;
  }
  const subdomain = request.subdomain.toLowerCase();
  const bySubdomain = sites.find((s) => s.subdomain.toLowerCase() === subdomain);
  if (bySubdomain) return bySubdomain;
  const byName = sites.filter((s) => s.name === request.name);
  return byName.length === 1 ? byName[0] : undefined;
}

/** Submits the create, exactly once across crashes. */
export const submitCreateStep: StepDefinition<LifecycleDeps> = {
  id: 'submit',
  title: 'Submit the provisioning request',
  async run(ctx) {
    const context = provisioningContext(ctx);
    if (context.operationUrl || context.websiteId) return { skipped: true };
    const { environmentId, request } = requireCreate(context);
    if (context.createSubmittedAt) {
      // A previous run may have been stopped after the platform accepted the create but before
      // the operation URL was saved: adopt the site the platform made instead of asking again.
      // A site still in "provisioning failed" is the one being restarted, not a new attempt.
      const existing = findCreatedSite(await ctx.deps.powerPages.listWebsites(environmentId), request);
      if (existing && siteStateOf(existing).kind !== 'provisioning_failed') {
        await ctx.saveContext({ websiteId: existing.id });
        return { output: { adopted: existing.id } };
      }
    }
    await ctx.saveContext({ createSubmittedAt: new Date().toISOString() });
    const accepted = await ctx.deps.powerPages.createWebsite(environmentId, request);
    await ctx.saveContext({ operationUrl: accepted.operationUrl });
    return undefined;
  },
};

/** Follows the provisioning operation, then finds the new site; a failure fails the job with `provisioning_failed`. */
export const waitProvisioningStep: StepDefinition<LifecycleDeps> = {
  id: 'provisioning',
  title: 'Wait for the platform to provision the site',
  async run(ctx) {
    const context = provisioningContext(ctx);
    const { environmentId, request } = requireCreate(context);
    const deadline = await phaseDeadline(ctx, 'provisioning');
    if (context.operationUrl && !context.operationSucceeded && !context.websiteId) {
      const operation = await followOperation(
        ctx,
        'provisioning',
        deadline,
        context.operationUrl,
        'Provisioning',
      );
      if (operation.state === 'failed') {
        await clearDeadline(ctx, 'provisioning');
        throw new PortalOpsError(
          'provisioning_failed',
          `Provisioning failed${operation.error ? `: ${operation.error.message}` : '.'}`,
          { platformCode: operation.error?.code ?? operation.rawStatus },
        );
      }
      await ctx.saveContext({ operationSucceeded: true });
    }
    // The new site is found by listing (the operation names none); the list may lag behind it.
    for (;;) {
      const latest = provisioningContext(ctx);
      const site = latest.websiteId
        ? await ctx.deps.powerPages.getWebsite(environmentId, latest.websiteId)
        : findCreatedSite(await ctx.deps.powerPages.listWebsites(environmentId), request);
      if (site) {
        const state = siteStateOf(site);
        if (state.kind === 'provisioning_failed') {
          await clearDeadline(ctx, 'provisioning');
          throw new PortalOpsError('provisioning_failed', 'Provisioning failed.', {
            platformCode: site.status,
            details: { websiteId: site.id, site: state.details },
          });
        }
        if (!latest.websiteId) await ctx.saveContext({ websiteId: site.id });
        await clearDeadline(ctx, 'provisioning');
        return { output: { websiteId: site.id, state: state.label } };
      }
      if (Date.now() >= deadline)
        throw await deadlinePassed(
          ctx,
          'provisioning',
          `no site with subdomain ${request.subdomain} in the list`,
        );
      await ctx.heartbeat('Looking for the new site in the site list');
      await sleep(ctx.deps.pollIntervalMs, undefined, { signal: ctx.signal });
    }
  },
};

/** Follows the package install until the site is set up ("Getting set up" until then). */
export const waitPackageStep: StepDefinition<LifecycleDeps> = {
  id: 'package',
  title: 'Wait for the portal package to install',
  async run(ctx) {
    const context = provisioningContext(ctx);
    const { environmentId } = requireCreate(context);
    const deadline = await phaseDeadline(ctx, 'packageInstall');
    for (;;) {
      const site = await ctx.deps.powerPages.getWebsite(environmentId, context.websiteId!);
      const state = siteStateOf(site);
      if (state.kind === 'provisioning_failed') {
        await clearDeadline(ctx, 'packageInstall');
        throw new PortalOpsError(
          'provisioning_failed',
          'Provisioning failed while the site was being set up.',
          {
            platformCode: site.status,
            details: { websiteId: site.id, site: state.details },
          },
        );
      }
      if (state.kind === 'package_install_failed') {
        await clearDeadline(ctx, 'packageInstall');
        throw new PortalOpsError(
          'package_install_failed',
          'The portal package failed to install, so the site shows "Getting set up".',
          { platformCode: site.packageInstallStatus, details: { websiteId: site.id, site: state.details } },
        );
      }
      if (isServing(state)) {
        await clearDeadline(ctx, 'packageInstall');
        await ctx.saveContext({ websiteUrl: site.websiteUrl });
        return { output: { websiteUrl: site.websiteUrl } };
      }
      // Still configuring, installing, or a value PortalOps does not know: keep waiting, bounded.
      if (Date.now() >= deadline) throw await deadlinePassed(ctx, 'packageInstall', state.details);
      await ctx.heartbeat(`${state.label}: package ${site.packageInstallStatus || 'not reported'}`);
      await sleep(ctx.deps.pollIntervalMs, undefined, { signal: ctx.signal });
    }
  },
};

/** Checks the new site answers over HTTP and finishes with its address. */
export const verifySiteStep: StepDefinition<LifecycleDeps> = {
  id: 'verify',
  title: 'Check that the site answers',
  async run(ctx) {
    const context = provisioningContext(ctx);
    const url = context.websiteUrl;
    if (!url) throw new PortalOpsError('platform_error', 'The platform gave no address for the site.');
    let lastStatus = 0;
    for (let attempt = 1; attempt <= ctx.deps.siteCheck.attempts; attempt++) {
      try {
        const response = await fetch(url, {
          signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(10_000)]),
        });
        lastStatus = response.status;
        await response.body?.cancel();
        if (response.ok) {
          await ctx.setResult({ websiteUrl: url, websiteId: context.websiteId });
          return { output: { status: response.status } };
        }
      } catch (error) {
        if (ctx.signal.aborted) throw error;
      }
      await ctx.heartbeat(`Waiting for ${url} to answer`);
      await sleep(ctx.deps.siteCheck.intervalMs, undefined, { signal: ctx.signal });
    }
    throw new PortalOpsError(
      'site_not_answering',
      `The site at ${url} did not answer (last status ${lastStatus || 'none'}).`,
      {
        retryable: true,
      },
    );
  },
};

/** The steps from submission to a site that answers. */
export const PROVISIONING_STEPS: StepDefinition<LifecycleDeps>[] = [
  submitCreateStep,
  waitProvisioningStep,
  waitPackageStep,
  verifySiteStep,
];
