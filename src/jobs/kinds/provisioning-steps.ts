/**
 * The steps every provisioning shares (first provisioning, restart, change and restart,
 * re-provisioning after a reset): submit the create, follow the operation, follow the package
 * install, check that the site answers. Each step resumes from the job context, so a create
 * the platform accepted is never submitted twice.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { PortalOpsError } from '../../domain/errors.ts';
import type { CreateWebsiteRequest } from '../../domain/website.ts';
import type { StepContext, StepDefinition } from '../job-kind.ts';
import type { LifecycleDeps } from './lifecycle-deps.ts';

/** What provisioning keeps in the job context. */
export interface ProvisioningContext {
  environmentId?: string;
  createRequest?: CreateWebsiteRequest;
  /** Set just before the create is sent; with no operation URL it means "maybe accepted". */
  createSubmittedAt?: string;
  operationUrl?: string;
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
      const existing = (await ctx.deps.powerPages.listWebsites(environmentId)).find(
        (s) =>
          s.subdomain.toLowerCase() === request.subdomain.toLowerCase() && s.status !== 'ProvisioningFailed',
      );
      if (existing) {
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

/** Follows the provisioning operation; a failed provisioning fails the job with `provisioning_failed`. */
export const waitProvisioningStep: StepDefinition<LifecycleDeps> = {
  id: 'provisioning',
  title: 'Wait for the platform to provision the site',
  async run(ctx) {
    const context = provisioningContext(ctx);
    const { environmentId } = requireCreate(context);
    if (context.operationUrl && !context.websiteId) {
      const operation = await ctx.deps.powerPages.waitForOperation(context.operationUrl, {
        pollIntervalMs: ctx.deps.pollIntervalMs,
        signal: ctx.signal,
        onPoll: (op) => {
          void ctx.heartbeat(`Provisioning: ${op.status.toLowerCase()}`);
          if (op.percentComplete !== undefined) void ctx.progress(op.percentComplete);
        },
      });
      if (operation.status !== 'Succeeded') {
        throw new PortalOpsError(
          'provisioning_failed',
          `Provisioning failed${operation.error ? `: ${operation.error.message}` : '.'}`,
          {
            platformCode: operation.error?.code ?? 'ProvisioningFailed',
            details: { websiteId: operation.websiteId },
          },
        );
      }
      if (!operation.websiteId)
        throw new PortalOpsError('platform_error', 'The platform did not say which site it created.');
      await ctx.saveContext({ websiteId: operation.websiteId });
      return { output: { websiteId: operation.websiteId } };
    }
    const site = await ctx.deps.powerPages.getWebsite(environmentId, context.websiteId!);
    if (site.status === 'ProvisioningFailed')
      throw new PortalOpsError('provisioning_failed', 'Provisioning failed.');
    return { output: { websiteId: site.id } };
  },
};

/** Follows the package install until the site is set up. */
export const waitPackageStep: StepDefinition<LifecycleDeps> = {
  id: 'package',
  title: 'Wait for the portal package to install',
  async run(ctx) {
    const context = provisioningContext(ctx);
    const { environmentId } = requireCreate(context);
    for (;;) {
      const site = await ctx.deps.powerPages.getWebsite(environmentId, context.websiteId!);
      if (site.status === 'ProvisioningFailed') {
        throw new PortalOpsError(
          'provisioning_failed',
          'Provisioning failed while the site was being set up.',
        );
      }
      if (site.packageInstallStatus === 'InstallFailed') {
        throw new PortalOpsError(
          'package_install_failed',
          'The portal package failed to install, so the site shows "Getting set up".',
          { details: { websiteId: site.id } },
        );
      }
      if (site.packageInstallStatus === 'Installed' && site.status === 'Configured') {
        await ctx.saveContext({ websiteUrl: site.websiteUrl });
        return { output: { websiteUrl: site.websiteUrl } };
      }
      await ctx.heartbeat(`Package install: ${site.packageInstallStatus.toLowerCase()}`);
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
