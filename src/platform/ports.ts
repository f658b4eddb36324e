/**
 * Ports to the Microsoft cloud. The real clients in this folder implement them over HTTP; the
 * same clients talk to the real services or to the simulator: only base URLs and credentials differ.
 * Every method rejects with a PortalOpsError (src/domain/errors.ts), never a raw HTTP error.
 */
import type {
  AcceptedPackageInstall,
  ApplicationPackage,
  PackageInstallOperation,
} from '../domain/application-package.ts';
import type { EnvironmentDetails } from '../domain/environment.ts';
import type { CreateWebsiteRequest, Operation, Website } from '../domain/website.ts';
import type { DataModelMigrationMode } from './power-pages/data-model-migration.ts';

/** An OAuth2 access token for one resource. */
export interface AccessToken {
  token: string;
  /** Epoch milliseconds. */
  expiresOn: number;
}

/**
 * Gives bearer tokens for a resource scope, e.g. `https://api.powerplatform.com/.default` or
 * `https://contoso.crm.dynamics.com/.default`. Tokens are cached and renewed before expiry.
 */
export interface TokenProvider {
  getToken(scope: string, options?: { tenantId?: string; forceRefresh?: boolean }): Promise<AccessToken>;
}

/** Handle to a long-running operation accepted by the platform (202 + Operation-Location). */
export interface AcceptedOperation {
  /** Absolute URL to poll. Persist it the moment it is known. */
  operationUrl: string;
  /** Seconds the platform suggests waiting before the first poll. */
  retryAfterSeconds?: number;
}

/** Options for {@link PowerPagesApi.waitForOperation}. */
export interface WaitOptions {
  /** Milliseconds between polls when the platform gives no Retry-After. */
  pollIntervalMs?: number;
  /** Give up after this many milliseconds (rejects with `operation_deadline_passed`, retryable). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called after each poll, for progress. */
  onPoll?: (operation: Operation) => void;
}

/** The Power Pages admin API (`/powerpages/environments/{environmentId}/websites`). */
export interface PowerPagesApi {
  /** All websites of an environment, following `@odata.nextLink`. */
  listWebsites(environmentId: string): Promise<Website[]>;
  /** One website, or a `not_found` error. */
  getWebsite(environmentId: string, websiteId: string): Promise<Website>;
  /** Starts provisioning; resolves once the platform accepted it (202). */
  createWebsite(environmentId: string, request: CreateWebsiteRequest): Promise<AcceptedOperation>;
  /**
   * Starts deleting the hosted site (its configuration stays in Dataverse). Any 2xx is accepted;
   * undefined when the platform gave no operation to follow (then the site leaves the list when done).
   */
  deleteWebsite(environmentId: string, websiteId: string): Promise<AcceptedOperation | undefined>;
  /** Restarts a running site. */
  restartWebsite(environmentId: string, websiteId: string): Promise<void>;
  /**
   * Starts copying a standard-data-model site's records into the enhanced data model (pac's
   * `migrate-datamodel --mode`); resolves once accepted (202). See power-pages/data-model-migration.ts.
   */
  startDataModelMigration(
    environmentId: string,
    websiteId: string,
    mode: DataModelMigrationMode,
  ): Promise<AcceptedOperation>;
  /** Switches the site to the enhanced (true) or standard (false) records: `setPortalDataModelVersion`. */
  setDataModelVersion(environmentId: string, websiteId: string, enhanced: boolean): Promise<void>;
  /** Reads a long-running operation once. */
  getOperation(operationUrl: string): Promise<Operation>;
  /** Polls until the operation is final (the platform said `Succeeded` or `Failed`), and returns it. */
  waitForOperation(operationUrl: string, options?: WaitOptions): Promise<Operation>;
}

/** A Dataverse row as JSON (OData annotations included when present). */
export type DataverseRecord = Record<string, unknown>;

/** Query options for {@link Dataverse.query}. */
export interface QueryOptions {
  select?: string[];
  filter?: string;
  orderBy?: string;
  /** At most this many rows in all. */
  top?: number;
  /** Rows per page (`Prefer: odata.maxpagesize`). */
  pageSize?: number;
  /** Extra OData annotations to ask for, e.g. `OData.Community.Display.V1.FormattedValue`. */
  includeAnnotations?: string;
}

/** One operation inside a `$batch` change set. */
export type BatchOperation =
  | { method: 'POST'; entitySet: string; body: DataverseRecord }
  | { method: 'PATCH'; entitySet: string; id: string; body: DataverseRecord }
  | { method: 'DELETE'; entitySet: string; id: string }
  | {
      method: 'ASSOCIATE';
      entitySet: string;
      id: string;
      relationship: string;
      targetEntitySet: string;
      targetId: string;
    };

/** Result of one operation of a batch. */
export interface BatchResult {
  status: number;
  /** The id of a created or upserted record, when the platform returned it. */
  id?: string;
}

/** One column of a table (`AttributeMetadata`). */
export interface TableAttribute {
  logicalName: string;
  /** `AttributeType` (AttributeTypeCode), e.g. `String`, `Memo`, `Lookup`, `Picklist`, `Boolean`. */
  attributeType: string;
  /** `IsValidForCreate`: the column may be set when a row is created. */
  validForCreate: boolean;
  /** `IsValidForUpdate`: the column may be changed on an existing row. */
  validForUpdate: boolean;
}

/**
 * A lookup column and one table it can point at (`ManyToOneRelationships`). A polymorphic lookup
 * (the note's `objectid`) has one entry per target table, each with its own navigation property.
 */
export interface TableLookup {
  /** `ReferencingAttribute`, the lookup column, read back as `_<attribute>_value`. */
  attribute: string;
  /** `ReferencingEntityNavigationPropertyName`, bound as `<navigationProperty>@odata.bind`. */
  navigationProperty: string;
  /** `ReferencedEntity`, the target table's logical name. */
  targetTable: string;
  /** The relationship's `SchemaName`. */
  relationship: string;
}

/** A many-to-many relationship of the table (`ManyToManyRelationships`). */
export interface TableManyToMany {
  /** The relationship's `SchemaName`. */
  relationship: string;
  /** The collection-valued navigation property on this table's side. */
  navigationProperty: string;
  /** The other table's logical name. */
  targetTable: string;
}

/** Metadata of one table (`EntityDefinitions`). */
export interface TableMetadata {
  logicalName: string;
  entitySetName: string;
  primaryIdAttribute: string;
  primaryNameAttribute: string;
  /** Logical names of the columns. */
  columns: string[];
  /** Every column with its type and whether it can be written. */
  attributes: TableAttribute[];
  /** Lookup columns with their navigation properties, one entry per target table. */
  lookups: TableLookup[];
  manyToMany: TableManyToMany[];
}

/** A security role held by a user. */
export interface SecurityRole {
  roleId: string;
  name: string;
}

/** The Dataverse Web API (`{dataverseUrl}/api/data/v9.2`) of one environment. */
export interface Dataverse {
  /** All matching rows, following `@odata.nextLink`, up to `top`. */
  query(entitySet: string, options?: QueryOptions): Promise<DataverseRecord[]>;
  /** Creates a row and returns its id. */
  create(entitySet: string, record: DataverseRecord): Promise<string>;
  /** Creates or updates the row with this id (PATCH, upsert). */
  upsert(entitySet: string, id: string, record: DataverseRecord): Promise<void>;
  /** Deletes a row; deleting a missing row is not an error. */
  delete(entitySet: string, id: string): Promise<void>;
  /** Adds an N:N link (`POST {set}({id})/{relationship}/$ref`). */
  associate(
    entitySet: string,
    id: string,
    relationship: string,
    targetEntitySet: string,
    targetId: string,
  ): Promise<void>;
  /**
   * Sends operations as one `$batch` change set: all succeed or none is applied.
   * Rejects with `batch_failed` naming the failing operation's index and the platform's reason.
   */
  executeBatch(operations: BatchOperation[]): Promise<BatchResult[]>;
  /**
   * Puts bytes into a file column (`PATCH {set}({id})/{column}` with `x-ms-file-name`), replacing
   * any file it had; file columns cannot be written in a create, update or `$batch`.
   */
  uploadFile(entitySet: string, id: string, column: string, fileName: string, bytes: Buffer): Promise<void>;
  /** A file column's bytes and file name (`GET {set}({id})/{column}/$value`), or null when it has none. */
  downloadFile(
    entitySet: string,
    id: string,
    column: string,
  ): Promise<{ fileName: string; bytes: Buffer } | null>;
  /** Empties a file column (`DELETE {set}({id})/{column}`). */
  deleteFile(entitySet: string, id: string, column: string): Promise<void>;
  /**
   * Table metadata, or `null` when the table does not exist. Read once per organization and
   * kept; `refresh` reads it again.
   */
  getTable(logicalName: string, options?: { refresh?: boolean }): Promise<TableMetadata | null>;
  /** Forgets every table definition read so far, so the next reads see changed metadata. */
  forgetTables(): void;
  /** The caller's user id (`WhoAmI`). */
  whoAmI(): Promise<{ userId: string; organizationId: string; businessUnitId: string }>;
  /** Security roles of a user (`systemusers({id})/systemuserroles_association`). */
  getUserRoles(userId: string): Promise<SecurityRole[]>;
  /** LCIDs of the languages installed in the organization (`RetrieveProvisionedLanguages`). */
  provisionedLanguages(): Promise<number[]>;
}

/** Opens a {@link Dataverse} client for an environment's organization URL. */
export type DataverseFactory = (dataverseUrl: string, tenantId?: string) => Dataverse;

/** Resolves environments from the registry and the platform. */
export interface Environments {
  /** Registry entry + platform details for an alias or environment id; `unknown_environment` otherwise. */
  resolve(aliasOrId: string): Promise<EnvironmentDetails>;
}

/** Options for {@link ApplicationPackagesApi.waitForInstall}. */
export interface InstallWaitOptions {
  /** Milliseconds between polls. */
  pollIntervalMs?: number;
  /** Give up after this many milliseconds (rejects with `request_timeout`, retryable). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called after each poll, for progress. */
  onPoll?: (operation: PackageInstallOperation) => void;
}

/**
 * The Power Platform API's application packages of an environment
 * (`/appmanagement/environments/{environmentId}/applicationPackages`), where a failed portal
 * package install is retried.
 */
export interface ApplicationPackagesApi {
  /** Every package the environment lists, with its install state, following `@odata.nextLink`. */
  listPackages(environmentId: string): Promise<ApplicationPackage[]>;
  /**
   * Starts installing (or retrying) a package by unique name. Rejects with
   * `package_install_unavailable` when the platform refuses it (400, e.g. "Package requested for
   * installation was not found").
   */
  installPackage(environmentId: string, uniqueName: string): Promise<AcceptedPackageInstall>;
  /** Reads an install operation once. */
  getInstallOperation(operationUrl: string): Promise<PackageInstallOperation>;
  /** Polls until the operation is Succeeded, Failed or Canceled, and returns it. */
  waitForInstall(operationUrl: string, options?: InstallWaitOptions): Promise<PackageInstallOperation>;
}
