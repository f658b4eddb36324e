/**
 * The simulator's world: tenants, environments, users, apps and sites. A scenario file seeds
 * it; tests change it through {@link SimulatorWorld} and fault rules.
 */
import type { Website } from '../domain/website.ts';
import type { SeededConfiguration } from './site-configuration.ts';

/** A lookup column of a simulated table and one table it points at (one entry per target). */
export interface SimLookup {
  /** The column, stored and read as `_<attribute>_value`. */
  attribute: string;
  /** The single-valued navigation property a write binds through (`<nav>@odata.bind`). */
  navigationProperty: string;
  targetTable: string;
  /** The relationship's schema name. */
  relationship: string;
}

/** A Dataverse table the simulated environment has. */
export interface SimTable {
  logicalName: string;
  entitySetName: string;
  primaryIdAttribute: string;
  primaryNameAttribute: string;
  /** Plain (non-lookup) columns. */
  columns: string[];
  /** `AttributeType` of plain columns that are not `String`. */
  columnTypes?: Record<string, string>;
  /** Columns the platform sets itself: readable, never written (IsValidForCreate/Update false). */
  readOnlyColumns?: string[];
  /** Columns a row cannot be created with but may be changed on (IsValidForCreate false, IsValidForUpdate true). */
  updateOnlyColumns?: string[];
  /** Lookup columns with their navigation properties and targets. */
  lookups?: SimLookup[];
  /**
   * N:N relationships by schema name, with the related table's logical name; this table is the
   * relationship's first entity. The navigation property is the schema name unless given.
   */
  manyToMany?: { name: string; targetTable: string; navigationProperty?: string }[];
}

/** A solution installed in an environment. */
export interface SimSolution {
  uniqueName: string;
  version: string;
}

/** A simulated Power Platform environment with its Dataverse organization. */
export interface SimEnvironment {
  id: string;
  tenantId: string;
  /** Alias the generated environments registry uses (dev, test, prod). */
  alias: string;
  displayName: string;
  /** Dataverse org unique name; the org URL is `{base}/orgs/{orgUniqueName}`. */
  orgUniqueName: string;
  organizationId: string;
  baseLanguage: number;
  installedLanguages: number[];
  solutions: SimSolution[];
  tables: SimTable[];
  protected: boolean;
}

/** A person who can sign in. `securityRoles` maps environment id → Dataverse security role names. */
export interface SimUser {
  id: string;
  tenantId: string;
  userPrincipalName: string;
  displayName: string;
  securityRoles: Record<string, string[]>;
}

/** A confidential client (app registration) that can use client credentials. */
export interface SimApp {
  clientId: string;
  tenantId: string;
  clientSecret: string;
  displayName: string;
  /** Security roles of the app's application user per environment id. */
  securityRoles: Record<string, string[]>;
}

/** A website in the simulator: the public DTO plus the simulator's own bookkeeping. */
export interface SimSite extends Website {
  /** Epoch ms at which the current phase (provisioning, package install, deletion) completes. */
  phaseEndsAt?: number;
  /** Outcome scripted for the current phase. */
  scriptedOutcome?: 'succeed' | 'provisioning_failed' | 'package_install_failed';
  /** Being deleted (the API shows only `OperationInProgress`; the simulator needs to know which operation). */
  deleting?: boolean;
  /** Restarted: the site does not answer until then (epoch ms); the API shows nothing of it. */
  restartingUntil?: number;
}

/** A long-running operation (Operation-Location resource). */
export interface SimOperation {
  id: string;
  kind: 'create' | 'delete' | 'migrate-data-model';
  environmentId: string;
  websiteId: string;
  createdAt: number;
  /** Epoch ms when it finishes. */
  endsAt: number;
  outcome: 'succeed' | 'fail';
  errorCode?: string;
  errorMessage?: string;
}

/** The seeded world (what a scenario file holds). */
export interface Scenario {
  name: string;
  tenants: { id: string; name: string }[];
  environments: SimEnvironment[];
  users: SimUser[];
  apps: SimApp[];
  sites: Omit<SimSite, 'phaseEndsAt' | 'scriptedOutcome' | 'deleting'>[];
  /** Dataverse rows to seed, per environment id then entity set name. */
  records?: Record<string, Record<string, Record<string, unknown>[]>>;
  /** Site configurations read from pac folders: rows and N:N links per environment. */
  configurations?: ({ environmentId: string } & SeededConfiguration)[];
  /** Lifecycle failures scripted from the start. */
  faults?: ScenarioFault[];
  /** Durations in milliseconds at time scale 1. */
  durations?: {
    provisioningMs?: number;
    packageInstallMs?: number;
    deletionMs?: number;
    dataModelMigrationMs?: number;
  };
}

/** A lifecycle failure a scenario scripts (the same ones tests script through `faults`). */
export type ScenarioFault =
  | {
      kind: 'provisioning';
      environmentId?: string;
      subdomain?: string;
      outcome: 'provisioning_failed' | 'package_install_failed';
    }
  | { kind: 'delete'; websiteId?: string; failure: 'transient' | 'not_submitted' | 'missing_permission' };

/** Who a verified bearer token belongs to. */
export interface SimPrincipal {
  kind: 'user' | 'app';
  /** User id, or the app's client id for apps. */
  id: string;
  tenantId: string;
  /** Client id of the app that asked for the token. */
  clientId: string;
  /** Audience the token was issued for. */
  audience: string;
  userPrincipalName?: string;
}
