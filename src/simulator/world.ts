/**
 * The simulator's state and the site lifecycle: provisioning, package install and deletion
 * move on with (scaled) time, and scripted failures turn them into the platform's failure states.
 * Sites only ever carry documented WebsiteDto values (websitedto.enums.schema-only.json):
 * provisioning is `status: OperationInProgress` with package `None`; then `OperationComplete`
 * with the package `Installing` → `Installed` (or `InstallFailed`); a failed provisioning is
 * `OperationFailed`; a site being deleted is `OperationInProgress` until it leaves the list.
 */
import { randomUUID } from 'node:crypto';
import type { CreateWebsiteRequest } from '../domain/website.ts';
import { DataverseRecords } from './dataverse/dataverse-records.ts';
import type {
  Scenario,
  SimApp,
  SimEnvironment,
  SimOperation,
  SimPrincipal,
  SimSite,
  SimUser,
} from './model.ts';
import { MIGRATION_TRACKER_TABLE, SimDataModelMigrations } from './power-pages/data-model-migration.ts';

/** Durations at time scale 1 when the scenario gives none. */
const DEFAULT_DURATIONS = {
  provisioningMs: 20_000,
  packageInstallMs: 20_000,
  deletionMs: 10_000,
  dataModelMigrationMs: 20_000,
  /** A restarted site stops answering this long. */
  restartMs: 5_000,
};

/** Outcome scripted for the next provisioning that matches. */
export interface ProvisioningFailure {
  environmentId?: string;
  subdomain?: string;
  outcome: 'provisioning_failed' | 'package_install_failed';
}

/** Outcome scripted for the next delete that matches. */
export interface DeleteFailure {
  websiteId?: string;
  kind: 'transient' | 'not_submitted' | 'missing_permission';
}

/** Counters tests and benchmarks read. */
export interface WorldStats {
  /** Accepted creates per `${environmentId}/${subdomain}`. */
  createsAccepted: Record<string, number>;
  /** Accepted deletes per website id. */
  deletesAccepted: Record<string, number>;
}

/** Options of {@link SimulatorWorld}. */
export interface WorldOptions {
  /** Epoch ms; defaults to the wall clock. */
  now?: () => number;
  /** Multiplies every duration (0.001 turns 20 s into 20 ms). */
  timeScale?: number;
}

/** The whole simulated cloud. */
export class SimulatorWorld {
  readonly environments: SimEnvironment[];
  readonly users: SimUser[];
  readonly apps: SimApp[];
  readonly sites = new Map<string, SimSite>();
  readonly operations = new Map<string, SimOperation>();
  readonly records = new DataverseRecords();
  readonly stats: WorldStats = { createsAccepted: {}, deletesAccepted: {} };
  readonly provisioningFailures: ProvisioningFailure[] = [];
  readonly deleteFailures: DeleteFailure[] = [];
  /** Moves of standard sites onto the enhanced data model (migration, switch). */
  readonly dataModel = new SimDataModelMigrations(this);
  /** Base URL sites are served from (`{siteBaseUrl}/{subdomain}`); set by the server. */
  siteBaseUrl = 'https://powerappsportals.invalid';
  /**
   * How the operation poll answers. The body is undocumented: Microsoft's client reads `status`
   * or `Status` (operation-status-poll.inferred.md), so tests can make it answer either casing,
   * and use another text than `Running` while it runs (a client must take any other value as running).
   */
  readonly operationPoll: { statusKey: 'status' | 'Status'; runningStatus: string } = {
    statusKey: 'status',
    runningStatus: 'Running',
  };
  /** Whether a delete answers 202 with an Operation-Location, or 204 with none (both are 2xx). */
  deleteAnswer: 'operation' | 'no-content' = 'operation';
  private readonly clock: () => number;
  private readonly timeScale: number;
  private readonly durations: typeof DEFAULT_DURATIONS;
  private readonly pendingPhase = new Map<string, 'provisioning' | 'install' | 'deletion'>();

  constructor(scenario: Scenario, options: WorldOptions = {}) {
    this.clock = options.now ?? Date.now;
    this.timeScale = options.timeScale ?? 1;
    this.durations = { ...DEFAULT_DURATIONS, ...scenario.durations };
    this.environments = structuredClone(scenario.environments);
    for (const env of this.environments)
      if (!env.tables.some((t) => t.logicalName === MIGRATION_TRACKER_TABLE.logicalName))
        env.tables.push(structuredClone(MIGRATION_TRACKER_TABLE));
    this.users = structuredClone(scenario.users);
    this.apps = structuredClone(scenario.apps);
    for (const site of scenario.sites) this.sites.set(site.id, structuredClone(site));
    for (const [environmentId, sets] of Object.entries(scenario.records ?? {})) {
      for (const [entitySet, rows] of Object.entries(sets)) {
        const table = this.records.table(environmentId, entitySet);
        const definition = this.findEnvironment(environmentId)?.tables.find(
          (t) => t.entitySetName === entitySet,
        );
        const idColumn = definition?.primaryIdAttribute ?? `${entitySet.replace(/s$/, '')}id`;
        for (const row of rows) {
          const id = String(row[idColumn] ?? randomUUID());
          table.set(id, { ...structuredClone(row), [idColumn]: id });
        }
      }
    }
    for (const configuration of scenario.configurations ?? []) {
      for (const [entitySet, rows] of Object.entries(configuration.rows)) {
        const table = this.records.table(configuration.environmentId, entitySet);
        const definition = this.findEnvironment(configuration.environmentId)?.tables.find(
          (t) => t.entitySetName === entitySet,
        );
        for (const row of rows)
          table.set(String(row[definition?.primaryIdAttribute ?? '']), structuredClone(row));
      }
      for (const link of configuration.links)
        this.records.associate(
          configuration.environmentId,
          link.entitySet,
          link.id,
          link.relationship,
          link.targetSet,
          link.targetId,
        );
    }
    for (const site of this.sites.values()) this.ensureWebsiteRecord(site);
  }

  now(): number {
    return this.clock();
  }

  /** A duration of the scenario, scaled. */
  duration(name: keyof typeof DEFAULT_DURATIONS): number {
    return Math.max(1, Math.round(this.durations[name] * this.timeScale));
  }

  findEnvironment(idOrAlias: string): SimEnvironment | undefined {
    const key = idOrAlias.toLowerCase();
    return this.environments.find((e) => e.id.toLowerCase() === key || e.alias.toLowerCase() === key);
  }

  findEnvironmentByOrg(orgUniqueName: string): SimEnvironment | undefined {
    const key = orgUniqueName.toLowerCase();
    return this.environments.find((e) => e.orgUniqueName.toLowerCase() === key);
  }

  findUser(idOrUpn: string): SimUser | undefined {
    const key = idOrUpn.toLowerCase();
    return this.users.find((u) => u.id.toLowerCase() === key || u.userPrincipalName.toLowerCase() === key);
  }

  findApp(clientId: string): SimApp | undefined {
    return this.apps.find((a) => a.clientId === clientId);
  }

  /** The caller's security role names in an environment (an app's are its application user's). */
  rolesOf(principal: SimPrincipal, environmentId: string): string[] {
    const holder = principal.kind === 'app' ? this.findApp(principal.id) : this.findUser(principal.id);
    return holder?.securityRoles[environmentId] ?? [];
  }

  /** Sites of an environment (after moving time on), oldest first. */
  sitesIn(environmentId: string): SimSite[] {
    this.advance();
    return [...this.sites.values()]
      .filter((s) => s.environmentId === environmentId)
      .sort((a, b) => a.createdOn.localeCompare(b.createdOn) || a.id.localeCompare(b.id));
  }

  /** A site by id in an environment, after moving time on. */
  site(environmentId: string, websiteId: string): SimSite | undefined {
    this.advance();
    const site = this.sites.get(websiteId.toLowerCase()) ?? this.sites.get(websiteId);
    return site?.environmentId === environmentId ? site : undefined;
  }

  /** An operation by id, after moving time on to `now` (pass the same instant used to report it). */
  operation(operationId: string, now: number = this.now()): SimOperation | undefined {
    this.advance(now);
    return this.operations.get(operationId);
  }

  /** Starts provisioning a site; the caller has validated the request. */
  createSite(
    environment: SimEnvironment,
    request: CreateWebsiteRequest,
  ): { site: SimSite; operation: SimOperation } {
    const now = this.now();
    const failureIndex = this.provisioningFailures.findIndex(
      (f) =>
        (!f.environmentId || f.environmentId === environment.id) &&
        (!f.subdomain || f.subdomain.toLowerCase() === request.subdomain.toLowerCase()),
    );
    const failure = failureIndex >= 0 ? this.provisioningFailures.splice(failureIndex, 1)[0] : undefined;
    // A site belongs to one environment: only a site of this environment on the same record is
    // re-created in place; the same record in another environment (a migration's source) is left alone.
    const reused = request.websiteRecordId
      ? [...this.sites.values()].find(
          (s) => s.environmentId === environment.id && s.websiteRecordId === request.websiteRecordId,
        )
      : undefined;
    const id = reused?.id ?? randomUUID();
    const site: SimSite = {
      id,
      name: request.name,
      createdOn: new Date(now).toISOString(),
      templateName: request.templateName,
      websiteUrl: `${this.siteBaseUrl}/${request.subdomain.toLowerCase()}`,
      tenantId: environment.tenantId,
      dataverseInstanceUrl: '',
      environmentName: environment.displayName,
      environmentId: environment.id,
      dataverseOrganizationId: environment.organizationId,
      selectedBaseLanguage: request.selectedBaseLanguage,
      customHostNames: [],
      websiteRecordId: request.websiteRecordId ?? randomUUID(),
      subdomain: request.subdomain.toLowerCase(),
      packageInstallStatus: 'None',
      type: 'Trial',
      trialExpiringInDays: 30,
      suspendedWebsiteDeletingInDays: null,
      packageVersion: '9.6.9.1',
      isEarlyUpgradeEnabled: false,
      isCustomErrorEnabled: false,
      applicationUserAadAppId: randomUUID(),
      ownerId: '',
      status: 'OperationInProgress',
      siteVisibility: 'private',
      // New sites get the enhanced data model; a site re-created on a standard (adx_website)
      // record stays standard.
      dataModel:
        request.websiteRecordId &&
        this.records.table(environment.id, 'adx_websites').has(request.websiteRecordId)
          ? 'Standard'
          : 'Enhanced',
      phaseEndsAt: now + this.duration('provisioningMs'),
      scriptedOutcome: failure?.outcome ?? 'succeed',
    };
    this.sites.set(id, site);
    this.pendingPhase.set(id, 'provisioning');
    this.ensureWebsiteRecord(site);
    const operation = this.newOperation('create', environment.id, id, site.phaseEndsAt!);
    const key = `${environment.id}/${site.subdomain}`;
    this.stats.createsAccepted[key] = (this.stats.createsAccepted[key] ?? 0) + 1;
    return { site, operation };
  }

  /** Takes the delete failure scripted for this site, if any. */
  takeDeleteFailure(websiteId: string): DeleteFailure | undefined {
    const index = this.deleteFailures.findIndex((f) => !f.websiteId || f.websiteId === websiteId);
    return index >= 0 ? this.deleteFailures.splice(index, 1)[0] : undefined;
  }

  /** Starts deleting the hosted site; its Dataverse configuration stays. The site's operation is in progress until it is gone. */
  deleteSite(site: SimSite, transientFailure: boolean): SimOperation {
    const endsAt = this.now() + this.duration('deletionMs');
    const operation = this.newOperation('delete', site.environmentId, site.id, endsAt);
    if (transientFailure) {
      operation.outcome = 'fail';
      operation.errorCode = 'InternalServerError';
      operation.errorMessage = 'The site could not be deleted because of a temporary problem. Try again.';
    } else {
      site.status = 'OperationInProgress';
      site.deleting = true;
      site.phaseEndsAt = endsAt;
      this.pendingPhase.set(site.id, 'deletion');
    }
    this.stats.deletesAccepted[site.id] = (this.stats.deletesAccepted[site.id] ?? 0) + 1;
    return operation;
  }

  /**
   * Retries the failed package install of a site (the app-management install call): the site
   * shows `InstallRetrying` now and finishes the install phase after the package install
   * duration, installed or, when `fails`, failed again. Returns when the retry ends (epoch ms).
   */
  retryPackageInstall(site: SimSite, fails = false): number {
    const endsAt = this.now() + this.duration('packageInstallMs');
    site.packageInstallStatus = 'InstallRetrying' as SimSite['packageInstallStatus'];
    site.phaseEndsAt = endsAt;
    site.scriptedOutcome = fails ? 'package_install_failed' : 'succeed';
    this.pendingPhase.set(site.id, 'install');
    return endsAt;
  }

  private newOperation(
    kind: SimOperation['kind'],
    environmentId: string,
    websiteId: string,
    endsAt: number,
  ): SimOperation {
    const operation: SimOperation = {
      id: randomUUID(),
      kind,
      environmentId,
      websiteId,
      createdAt: this.now(),
      endsAt,
      outcome: 'succeed',
    };
    this.operations.set(operation.id, operation);
    return operation;
  }

  /** Moves every site whose phase ended into its next state. */
  advance(now: number = this.now()): void {
    this.dataModel.advance(now);
    for (const [id, phase] of this.pendingPhase) {
      const site = this.sites.get(id);
      if (!site || site.phaseEndsAt === undefined || site.phaseEndsAt > now) continue;
      if (phase === 'deletion') {
        this.sites.delete(id);
        this.pendingPhase.delete(id);
      } else if (phase === 'provisioning') {
        if (site.scriptedOutcome === 'provisioning_failed') {
          site.status = 'OperationFailed';
          this.pendingPhase.delete(id);
          this.failOperationsOf(id, 'ProvisioningFailed', 'Provisioning of the website failed.');
        } else {
          site.status = 'OperationComplete';
          site.packageInstallStatus = 'Installing';
          site.phaseEndsAt = site.phaseEndsAt + this.duration('packageInstallMs');
          this.pendingPhase.set(id, 'install');
        }
      } else {
        site.status = 'OperationComplete';
        site.packageInstallStatus =
          site.scriptedOutcome === 'package_install_failed' ? 'InstallFailed' : 'Installed';
        delete site.phaseEndsAt;
        this.pendingPhase.delete(id);
      }
    }
  }

  private failOperationsOf(websiteId: string, code: string, message: string): void {
    for (const operation of this.operations.values()) {
      if (
        operation.websiteId === websiteId &&
        operation.kind === 'create' &&
        operation.outcome === 'succeed'
      ) {
        operation.outcome = 'fail';
        operation.errorCode = code;
        operation.errorMessage = message;
      }
    }
  }

  /**
   * Adds the site's website record when its environment has none: an `adx_websites` row for a
   * standard-data-model site, a `powerpagesites` row for an enhanced one.
   */
  private ensureWebsiteRecord(site: SimSite): void {
    if (site.dataModel === 'Enhanced') {
      const table = this.records.table(site.environmentId, 'powerpagesites');
      if (!table.has(site.websiteRecordId))
        table.set(site.websiteRecordId, { powerpagesiteid: site.websiteRecordId, name: site.name });
      return;
    }
    const table = this.records.table(site.environmentId, 'adx_websites');
    if (!table.has(site.websiteRecordId)) {
      table.set(site.websiteRecordId, { adx_websiteid: site.websiteRecordId, adx_name: site.name });
    }
  }
}
