/**
 * The simulator's Dynamics 365 application packages per environment, and their install
 * operations. A few ordinary packages are always listed; the portal package of each template in
 * use is derived from the environment's sites, so a site whose package install failed makes its
 * portal package `InstallFailed`, and retrying that install moves the sites on through
 * {@link SimulatorWorld.retryPackageInstall}.
 *
 * The portal package's unique name is not documented anywhere; `PowerPagesPortal_<template>` is
 * the simulator's own, chosen so that PortalOps must find the package by state and name (as it
 * must in the real cloud), never by a hard-coded name.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { SimEnvironment, SimSite } from '../model.ts';
import type { SimulatorWorld } from '../world.ts';

/** A package as the list returns it (2024-10-01 `ApplicationPackage`). */
export interface SimApplicationPackage {
  id: string;
  uniqueName: string;
  version: string;
  localizedDescription: string;
  localizedName: string;
  applicationId: string;
  applicationName: string;
  applicationDescription: string;
  singlePageApplicationUrl: string;
  publisherName: string;
  publisherId: string;
  learnMoreUrl: string;
  platformMinVersion: string;
  platformMaxVersion: string | null;
  customHandleUpgrade: boolean;
  instancePackageId: string | null;
  state: string;
  catalogVisibility: string;
  applicationVisibility: string;
  lastError: {
    errorCode: number;
    errorName: string;
    message: string;
    source: string;
    statusCode: number;
    type: string;
  } | null;
  startDateUtc: string;
  endDateUtc: string;
  supportedCountries: string[];
}

/** An install operation (`…/operations/{operationId}`). */
export interface SimPackageOperation {
  id: string;
  environmentId: string;
  uniqueName: string;
  createdAt: number;
  endsAt: number;
  /** The platform's reason when this install fails. */
  failure?: string;
}

/** How the simulated install call answers: 200 with an `InstancePackage`, or 202 with `Operation-Location`. */
export type InstallAnswer = 200 | 202;

const PORTAL_PREFIX = 'PowerPagesPortal_';

/** A stable GUID-shaped id from text, so lists read the same between calls. */
function stableId(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function basePackage(environmentId: string, uniqueName: string, name: string): SimApplicationPackage {
  return {
    id: stableId(`${environmentId}/${uniqueName}/package`),
    uniqueName,
    version: '1.0.0.0',
    localizedDescription: '',
    localizedName: name,
    applicationId: stableId(`${uniqueName}/application`),
    applicationName: uniqueName,
    applicationDescription: '',
    singlePageApplicationUrl: '',
    publisherName: 'Microsoft Dynamics 365',
    publisherId: stableId('publisher'),
    learnMoreUrl: '',
    platformMinVersion: '9.0',
    platformMaxVersion: null,
    customHandleUpgrade: false,
    instancePackageId: null,
    state: 'None',
    catalogVisibility: 'None',
    applicationVisibility: 'All',
    lastError: null,
    startDateUtc: '2016-01-01T00:00:00Z',
    endDateUtc: '2050-01-01T00:00:00Z',
    supportedCountries: ['US', 'GB', 'DE'],
  };
}

/** The state the portal package shows for the sites that use it. */
function portalStateOf(sites: SimSite[]): string {
  const statuses = sites.map((s) => String(s.packageInstallStatus));
  for (const wanted of ['InstallFailed', 'InstallRetrying', 'Installing', 'InstallRequested']) {
    if (statuses.includes(wanted)) return wanted;
  }
  return statuses.includes('Installed') ? 'Installed' : 'InstallScheduled';
}

/** Application packages and their installs across the simulated environments. */
export class SimApplicationPackages {
  readonly operations = new Map<string, SimPackageOperation>();
  /** Accepted installs per `${environmentId}/${uniqueName}` (tests count submissions). */
  readonly installsAccepted: Record<string, number> = {};
  /** How installs are answered. */
  installAnswer: InstallAnswer = 200;
  private readonly hidden = new Set<string>();
  private readonly refusals: { environmentId?: string; message: string }[] = [];
  private readonly failures: { environmentId?: string; message: string }[] = [];

  constructor(private readonly world: SimulatorWorld) {}

  /** Leaves the environment's portal packages out of its list (they are not offered there). */
  hidePortalPackages(environmentId: string): void {
    this.hidden.add(environmentId);
  }

  /** The next install (in the environment) is refused with 400 and this message. */
  refuseNextInstall(options: { environmentId?: string; message?: string } = {}): void {
    this.refusals.push({
      ...(options.environmentId ? { environmentId: options.environmentId } : {}),
      message: options.message ?? 'Package requested for installation was not found',
    });
  }

  /** The next install (in the environment) is accepted but fails, leaving the sites' packages failed. */
  failNextInstall(options: { environmentId?: string; message?: string } = {}): void {
    this.failures.push({
      ...(options.environmentId ? { environmentId: options.environmentId } : {}),
      message:
        options.message ??
        'The solution could not be imported: a required component is missing in the environment.',
    });
  }

  private portalSites(environmentId: string, templateName: string): SimSite[] {
    return this.world.sitesIn(environmentId).filter((s) => s.templateName === templateName);
  }

  /** The environment's packages now, portal packages derived from its sites. */
  list(env: SimEnvironment): SimApplicationPackage[] {
    const packages = [
      { ...basePackage(env.id, 'Office365Groups', 'Office 365 Groups'), state: 'Installed' },
      basePackage(env.id, 'msdyn_AppDeploymentAnchor', 'Power Platform Pipelines'),
    ];
    packages[0]!.instancePackageId = stableId(`${env.id}/Office365Groups/instance`);
    if (this.hidden.has(env.id)) return packages;
    const templates = [...new Set(this.world.sitesIn(env.id).map((s) => s.templateName))].sort();
    for (const template of templates) {
      const uniqueName = `${PORTAL_PREFIX}${template}`;
      const state = portalStateOf(this.portalSites(env.id, template));
      packages.push({
        ...basePackage(env.id, uniqueName, `Power Pages portal – ${template}`),
        applicationName: `Power Pages portal (${template})`,
        publisherName: 'Microsoft Power Pages',
        version: '9.6.9.1',
        state,
        instancePackageId: stableId(`${env.id}/${uniqueName}/instance`),
        lastError:
          state === 'InstallFailed'
            ? {
                errorCode: -2147188706,
                errorName: 'ImportSolutionError',
                message: 'The portal solutions could not be imported.',
                source: 'PackageDeployer',
                statusCode: 500,
                type: 'Install',
              }
            : null,
      });
    }
    return packages;
  }

  /**
   * Accepts an install of a listed package, or returns the 400 message the platform gives for
   * one it does not offer. Retrying a portal package retries every site whose install failed.
   */
  install(env: SimEnvironment, uniqueName: string): SimPackageOperation | { refused: string } {
    const refusal = this.take(this.refusals, env.id);
    if (refusal) return { refused: refusal.message };
    const listed = this.list(env).find((p) => p.uniqueName.toLowerCase() === uniqueName.toLowerCase());
    if (!listed) return { refused: 'Package requested for installation was not found' };
    const failure = this.take(this.failures, env.id);
    const now = this.world.now();
    let endsAt = now + this.world.duration('packageInstallMs');
    if (listed.uniqueName.startsWith(PORTAL_PREFIX)) {
      const template = listed.uniqueName.slice(PORTAL_PREFIX.length);
      for (const site of this.portalSites(env.id, template)) {
        if (String(site.packageInstallStatus) !== 'InstallFailed') continue;
        endsAt = this.world.retryPackageInstall(site, failure !== undefined);
      }
    }
    const operation: SimPackageOperation = {
      id: randomUUID(),
      environmentId: env.id,
      uniqueName: listed.uniqueName,
      createdAt: now,
      endsAt,
      ...(failure ? { failure: failure.message } : {}),
    };
    this.operations.set(operation.id, operation);
    const key = `${env.id}/${listed.uniqueName}`;
    this.installsAccepted[key] = (this.installsAccepted[key] ?? 0) + 1;
    return operation;
  }

  /** The operation's poll body (`InstancePackageOperationPollingResponse`). */
  operationBody(operation: SimPackageOperation): Record<string, unknown> {
    const now = this.world.now();
    this.world.advance(now);
    const done = now >= operation.endsAt;
    const status = done ? (operation.failure ? 'Failed' : 'Succeeded') : 'Running';
    return {
      operationId: operation.id,
      createdDateTime: new Date(operation.createdAt).toISOString(),
      lastActionDateTime: new Date(Math.min(now, operation.endsAt)).toISOString(),
      status,
      statusMessage: done ? '' : 'Installing the package',
      error:
        done && operation.failure
          ? {
              errorCode: -2147188706,
              errorName: 'ImportSolutionError',
              message: operation.failure,
              source: 'PackageDeployer',
              statusCode: 500,
              type: 'Install',
            }
          : null,
    };
  }

  private take<T extends { environmentId?: string }>(list: T[], environmentId: string): T | undefined {
    const index = list.findIndex((r) => !r.environmentId || r.environmentId === environmentId);
    return index >= 0 ? list.splice(index, 1)[0] : undefined;
  }
}
