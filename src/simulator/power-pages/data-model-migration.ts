/**
 * The simulator's move of a standard-data-model site onto the enhanced data model, as the
 * documented migration does it (power-pages-docs `admin/migrate-enhanced-data-model.md`):
 *
 * - `POST /websites/{id}/migrateDataModel` (the call behind `pac pages migrate-datamodel
 *   --mode`, undocumented: see src/platform/power-pages/data-model-migration.ts) answers 202 +
 *   Operation-Location; while it runs the site's `adx_websitemigrationtracker` row says Running.
 *   When it ends, the site's configuration rows are copied into `powerpagesite`,
 *   `powerpagesitelanguage` and `powerpagecomponent` (one component per row, typed by the
 *   documented `powerpagecomponenttype` choices, the row's columns in the JSON `content`), keeping
 *   every id ("for migration the source and production website id are same"). The standard rows
 *   stay: only metadata tables move, and the switch decides which records the site uses.
 * - `POST /websites/{id}/setPortalDataModelVersion {"dataModelVersionValue": true}` (documented,
 *   200) switches the site: `dataModel` becomes `Enhanced`, the standard website record is
 *   deactivated and the enhanced one used ("the website record linked to the standard data model
 *   will be deactivated"); `false` reverts.
 *
 * Refused as the docs describe: a site already on the enhanced model, a site that is not
 * configured, a migration already running, a template the migration does not support or whose
 * enhanced-model solution the environment lacks ("Found template <template-name>. One of the
 * prerequisite for migrate needs Enchanged data model template", sic), a base portal package
 * older than 9.3.2307, and a switch before the data migration completed.
 */
import { randomUUID } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { CONFIG_TABLES, lookupValueColumn } from '../../migration/config-tables.ts';
import { ENHANCED_SETS } from '../../migration/enhanced-model.ts';
import { recordFromRow, type SiteRecord } from '../../migration/site-records.ts';
import type { LookupTarget, SchemaTable, SiteSchema } from '../../migration/site-schema.ts';
import type { TableAttribute } from '../../platform/ports.ts';
import { sendError } from '../auth-middleware.ts';
import type { SimEnvironment, SimOperation, SimPrincipal, SimSite, SimTable } from '../model.ts';
import { enhancedRowsFromRecords } from '../site-configuration.ts';
import type { SimulatorWorld } from '../world.ts';

/** `adx_migrationstatus` (Website Migration Tracker table reference). */
const STATUS = { running: 746610001, completed: 746610002, failed: 746610003, reverted: 746610004 };

/**
 * Templates the migration supports and the enhanced-model solution each needs in the
 * environment (none for the starter layouts). Supported list and solution names: the migration
 * article ("Supported templates for migration"; EDM solution per template in
 * test/contracts/samples/power-pages-api/create-website.templates-by-api-version.schema-only.json).
 */
const MIGRATABLE_TEMPLATES: Readonly<Record<string, string | null>> = {
  DefaultPortalTemplate: null,
  StarterLayout1: null,
  StarterLayout2: null,
  StarterLayout3: null,
  StarterLayout4: null,
  StarterLayout5: null,
  BlankPage: null,
  FAQ: null,
  BuildingPermit: null,
  ProgramRegistration: 'PowerPages_ProgramRegistration_V2',
  PowerPortals_ProgramRegistration: 'PowerPages_ProgramRegistration_V2',
  BookMeetings: 'PowerPages_BookMeeting_V2',
  PowerPortals_BookMeeting: 'PowerPages_BookMeeting_V2',
  Community: 'PowerPages_CommunityPortal_V2',
  CustomerSelfServicePortal: 'PowerPages_CustomerPortal_V2',
  EmployeeSelfServicePortal: 'PowerPages_ESSPortal_V2',
  PartnerPortal: 'PowerPages_PartnerPortal_V2',
};

/** The Website Migration Tracker table, as the simulator serves it. */
export const MIGRATION_TRACKER_TABLE: SimTable = {
  logicalName: 'adx_websitemigrationtracker',
  entitySetName: 'adx_websitemigrationtrackers',
  primaryIdAttribute: 'adx_websitemigrationtrackerid',
  primaryNameAttribute: 'adx_name',
  columns: [
    'adx_name',
    'adx_migrationstatus',
    'adx_templatename',
    'adx_configjson',
    'statecode',
    'statuscode',
  ],
  columnTypes: {
    adx_migrationstatus: 'Picklist',
    adx_configjson: 'Memo',
    statecode: 'State',
    statuscode: 'Status',
  },
  lookups: [
    {
      attribute: 'adx_websiteid',
      navigationProperty: 'adx_websiteid',
      targetTable: 'adx_website',
      relationship: 'adx_website_adx_websitemigrationtracker',
    },
  ],
};

/**
 * A data migration scripted to go wrong: it fails (its operation says Failed), or, with
 * `copyAtMost`, succeeds having copied only that many components (the migration article's known
 * issue: a run processes one batch of 5,000 records).
 */
export interface DataModelMigrationFailure {
  websiteId?: string;
  code?: string;
  message?: string;
  copyAtMost?: number;
}

type Refusal = { status: number; code: string; message: string };

const versionAtLeast = (version: string, minimum: string): boolean => {
  const a = version.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < b.length; i++) {
    if ((a[i] ?? 0) !== b[i]) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
};

/** Data-model migrations of the simulated world: started, running, finished. */
export class SimDataModelMigrations {
  /** Failures scripted for the next matching migrations. */
  readonly failures: DataModelMigrationFailure[] = [];
  /** Migrations accepted per website id (tests check nothing is sent twice). */
  readonly accepted: Record<string, number> = {};
  /** Switches accepted per website id. */
  readonly switches: Record<string, number> = {};
  private readonly running = new Map<string, { operation: SimOperation; fail?: DataModelMigrationFailure }>();

  constructor(private readonly world: SimulatorWorld) {}

  /** Why the site cannot be migrated now, as the platform answers it; undefined when it can. */
  refusal(env: SimEnvironment, site: SimSite): Refusal | undefined {
    if (site.dataModel === 'Enhanced')
      return {
        status: 409,
        code: 'WebsiteAlreadyEnhanced',
        message: 'The website already uses the enhanced data model.',
      };
    if (site.status !== 'OperationComplete' || site.deleting || site.packageInstallStatus !== 'Installed') {
      return {
        status: 409,
        code: 'InvalidWebsiteState',
        message: `A website in state ${site.status} (package ${site.packageInstallStatus}) cannot be migrated; it must be configured first.`,
      };
    }
    if ([...this.running.values()].some((r) => r.operation.websiteId === site.id))
      return {
        status: 409,
        code: 'MigrationInProgress',
        message: 'A data model migration of this website is already running.',
      };
    const base = env.solutions.find((s) => s.uniqueName === 'MicrosoftPortalBase');
    if (!base || !versionAtLeast(base.version, '9.3.2307')) {
      return {
        status: 400,
        code: 'PortalPackageTooOld',
        message: `The Dataverse base portal package is ${base?.version ?? 'not installed'}; the migration needs 9.3.2307.x or higher.`,
      };
    }
    if (!(site.templateName in MIGRATABLE_TEMPLATES))
      return {
        status: 400,
        code: 'TemplateNotSupportedForMigration',
        message: `Sites created with the template ${site.templateName} cannot be migrated to the enhanced data model yet.`,
      };
    const solution = MIGRATABLE_TEMPLATES[site.templateName];
    if (solution && !env.solutions.some((s) => s.uniqueName === solution)) {
      return {
        status: 400,
        code: 'EnhancedTemplateMissing',
        message: `Found template ${site.templateName}. One of the prerequisite for migrate needs Enchanged data model template (${solution}).`,
      };
    }
    return undefined;
  }

  /** Starts a migration the caller checked with {@link refusal}. */
  start(env: SimEnvironment, site: SimSite): SimOperation {
    const now = this.world.now();
    const failIndex = this.failures.findIndex((f) => !f.websiteId || f.websiteId === site.id);
    const fail = failIndex >= 0 ? this.failures.splice(failIndex, 1)[0] : undefined;
    const operation: SimOperation = {
      id: randomUUID(),
      kind: 'migrate-data-model',
      environmentId: env.id,
      websiteId: site.id,
      createdAt: now,
      endsAt: now + this.world.duration('dataModelMigrationMs'),
      outcome: 'succeed',
    };
    this.world.operations.set(operation.id, operation);
    this.running.set(operation.id, { operation, ...(fail ? { fail } : {}) });
    this.accepted[site.id] = (this.accepted[site.id] ?? 0) + 1;
    this.track(env, site, STATUS.running);
    return operation;
  }

  /** Finishes every migration whose time is up: copies the records, or fails as scripted. */
  advance(now: number): void {
    for (const [id, { operation, fail }] of this.running) {
      if (operation.endsAt > now) continue;
      this.running.delete(id);
      const env = this.world.findEnvironment(operation.environmentId);
      const site = this.world.sites.get(operation.websiteId);
      if (!env || !site) continue;
      if (fail && fail.copyAtMost === undefined) {
        operation.outcome = 'fail';
        operation.errorCode = fail.code ?? 'DataModelMigrationFailed';
        operation.errorMessage = fail.message ?? 'The data model migration of the website failed.';
        this.track(env, site, STATUS.failed);
        continue;
      }
      copyToEnhancedTables(this.world, env, site.websiteRecordId, fail?.copyAtMost);
      this.track(env, site, STATUS.completed);
    }
  }

  /** Switches the site; a refusal when the records to switch to are not there. */
  switchTo(env: SimEnvironment, site: SimSite, enhanced: boolean): Refusal | undefined {
    const record = site.websiteRecordId;
    const enhancedRow = this.world.records.table(env.id, 'powerpagesites').get(record);
    const standardRow = this.world.records.table(env.id, 'adx_websites').get(record);
    if (enhanced && !enhancedRow) {
      return {
        status: 400,
        code: 'DataModelMigrationNotCompleted',
        message:
          'The site data has not been migrated to the enhanced data model; migrate it before updating the data model version.',
      };
    }
    if (!enhanced && !standardRow)
      return {
        status: 400,
        code: 'StandardWebsiteRecordMissing',
        message: 'The site has no standard data model website record to revert to.',
      };
    this.switches[site.id] = (this.switches[site.id] ?? 0) + 1;
    const active = { statecode: 0, statuscode: 1 };
    const inactive = { statecode: 1, statuscode: 2 };
    if (enhancedRow) Object.assign(enhancedRow, enhanced ? active : inactive);
    if (standardRow) Object.assign(standardRow, enhanced ? inactive : active);
    site.dataModel = enhanced ? 'Enhanced' : 'Standard';
    if (!enhanced) this.track(env, site, STATUS.reverted);
    return undefined;
  }

  /** Creates or updates the site's migration tracker row. */
  private track(env: SimEnvironment, site: SimSite, status: number): void {
    const table = this.world.records.table(env.id, MIGRATION_TRACKER_TABLE.entitySetName);
    const existing = [...table.values()].find((r) => r._adx_websiteid_value === site.websiteRecordId);
    if (existing) {
      existing.adx_migrationstatus = status;
      return;
    }
    const id = randomUUID();
    table.set(id, {
      adx_websitemigrationtrackerid: id,
      adx_name: site.name,
      adx_migrationstatus: status,
      adx_templatename: site.templateName,
      _adx_websiteid_value: site.websiteRecordId,
      '_adx_websiteid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'adx_website',
      statecode: 0,
      statuscode: 1,
    });
  }
}

/**
 * The site schema of a simulated environment, built from the simulator's own table
 * definitions the way `loadSiteSchema` builds it from served metadata: an N:N link is carried
 * by the later of its two configuration tables.
 */
function schemaOf(env: SimEnvironment): SiteSchema {
  const defs = new Map(env.tables.map((t) => [t.logicalName, t]));
  const tables = new Map<string, SchemaTable>();
  for (const [order, config] of CONFIG_TABLES.entries()) {
    const d = defs.get(config.logicalName);
    if (!d) continue;
    const attributes = new Map<string, TableAttribute>();
    for (const column of d.columns) {
      const readOnly = d.readOnlyColumns?.includes(column) ?? false;
      attributes.set(column, {
        logicalName: column,
        attributeType: d.columnTypes?.[column] ?? 'String',
        validForCreate: !readOnly && !(d.updateOnlyColumns?.includes(column) ?? false),
        validForUpdate: !readOnly,
      });
    }
    const lookups = new Map<string, LookupTarget[]>();
    for (const l of d.lookups ?? []) {
      const target = defs.get(l.targetTable);
      if (!target) continue;
      attributes.set(l.attribute, {
        logicalName: l.attribute,
        attributeType: 'Lookup',
        validForCreate: true,
        validForUpdate: true,
      });
      lookups.set(l.attribute, [
        ...(lookups.get(l.attribute) ?? []),
        {
          table: l.targetTable,
          entitySetName: target.entitySetName,
          navigationProperty: l.navigationProperty,
        },
      ]);
    }
    tables.set(config.logicalName, {
      ...config,
      entitySetName: d.entitySetName,
      primaryIdAttribute: d.primaryIdAttribute,
      primaryNameAttribute: d.primaryNameAttribute,
      order,
      attributes,
      lookups,
      manyToMany: [],
    });
  }
  for (const table of tables.values()) {
    for (const m of defs.get(table.logicalName)?.manyToMany ?? []) {
      const target = tables.get(m.targetTable);
      if (!target || target.order >= table.order) continue;
      table.manyToMany.push({
        relationship: m.name,
        navigationProperty: m.navigationProperty ?? m.name,
        target,
      });
    }
  }
  return { tables };
}

/**
 * Copies a website's configuration into the enhanced tables, keeping ids: the site's records
 * are read from its standard tables and stored the way the enhanced model keeps them
 * (`enhancedRowsFromRecords`, the same storage an enhanced site is seeded with): the website as
 * its `powerpagesite` (inactive until the switch), languages as `powerpagesitelanguage`, every
 * record of a table with a component type as a `powerpagecomponent`, a web file's note bytes as
 * the component's `filecontent`. The standard rows stay, so the site can be switched back.
 */
export function copyToEnhancedTables(
  world: SimulatorWorld,
  env: SimEnvironment,
  websiteRecordId: string,
  componentLimit = Number.POSITIVE_INFINITY,
): void {
  const schema = schemaOf(env);
  const record = websiteRecordId.toLowerCase();
  const rowsOf = (table: SchemaTable) => [...world.records.table(env.id, table.entitySetName).values()];
  const members = new Map<string, Record<string, unknown>[]>();
  const records: SiteRecord[] = [];
  for (const table of schema.tables.values()) {
    let rows: Record<string, unknown>[];
    if (table.logicalName === 'adx_website')
      rows = rowsOf(table).filter((r) => String(r.adx_websiteid).toLowerCase() === record);
    else if (table.websiteLookup)
      rows = rowsOf(table).filter(
        (r) => String(r[lookupValueColumn(table.websiteLookup!)] ?? '').toLowerCase() === record,
      );
    else {
      const { column, parentTable } = table.parentLookup!;
      const parentId = schema.tables.get(parentTable)?.primaryIdAttribute ?? '';
      const parents = new Set((members.get(parentTable) ?? []).map((p) => String(p[parentId]).toLowerCase()));
      rows = rowsOf(table).filter((r) =>
        parents.has(String(r[lookupValueColumn(column)] ?? '').toLowerCase()),
      );
    }
    members.set(table.logicalName, rows);
    for (const row of rows) {
      const links: Record<string, string[]> = {};
      for (const m of table.manyToMany)
        links[m.relationship] = world.records
          .related(env.id, table.entitySetName, String(row[table.primaryIdAttribute]), m.navigationProperty)
          .map((l) => l.id.toLowerCase());
      records.push(recordFromRow(table, row, links));
    }
  }
  const converted = enhancedRowsFromRecords(records, env.tables);
  if (!converted) return;
  const enhancedSets = new Set<string>(Object.values(ENHANCED_SETS));
  for (const [entitySet, rows] of Object.entries(converted.rows)) {
    // The tables without a component type are the site's own adx_* rows already.
    if (!enhancedSets.has(entitySet)) continue;
    const idColumn = env.tables.find((t) => t.entitySetName === entitySet)?.primaryIdAttribute ?? '';
    for (const row of entitySet === ENHANCED_SETS.component ? rows.slice(0, componentLimit) : rows) {
      const stored = { ...row };
      if (entitySet === ENHANCED_SETS.site) Object.assign(stored, { statecode: 1, statuscode: 2 });
      world.records.table(env.id, entitySet).set(String(row[idColumn]).toLowerCase(), stored);
    }
  }
}

/** What the data-model routes need from the Power Pages router. */
export interface DataModelRouteOptions {
  world: SimulatorWorld;
  environmentOf: (req: Request, res: Response) => SimEnvironment | undefined;
  isAdmin: (principal: SimPrincipal, env: SimEnvironment) => boolean;
  operationLocation: (res: Response, env: SimEnvironment, operation: SimOperation) => void;
}

/** Adds `migrateDataModel` and `setPortalDataModelVersion` to the Power Pages routes. */
export function addDataModelRoutes(router: Router, options: DataModelRouteOptions): void {
  const { world } = options;
  const siteOf = (req: Request, res: Response) => {
    const env = options.environmentOf(req, res);
    if (!env) return undefined;
    const site = world.site(env.id, String(req.params.websiteId));
    if (!site) {
      sendError(res, 404, 'WebsiteNotFound', `Website '${req.params.websiteId}' was not found.`);
      return undefined;
    }
    // Both are admin actions (the migration article names the admin roles for the switch).
    if (!options.isAdmin(res.locals.principal as SimPrincipal, env)) {
      sendError(
        res,
        403,
        'InsufficientPrivileges',
        'Changing the data model of a website needs the System Administrator role.',
      );
      return undefined;
    }
    return { env, site };
  };

  router.post('/powerpages/environments/:environmentId/websites/:websiteId/migrateDataModel', (req, res) => {
    const found = siteOf(req, res);
    if (!found) return;
    const mode = (req.body as { mode?: unknown } | undefined)?.mode;
    if (mode !== 'all' && mode !== 'configurationData' && mode !== 'configurationDataReferences')
      return sendError(
        res,
        400,
        'InvalidMode',
        'mode must be configurationData, configurationDataReferences or all.',
      );
    const refusal = world.dataModel.refusal(found.env, found.site);
    if (refusal) return sendError(res, refusal.status, refusal.code, refusal.message);
    options.operationLocation(res, found.env, world.dataModel.start(found.env, found.site));
  });

  router.post(
    '/powerpages/environments/:environmentId/websites/:websiteId/setPortalDataModelVersion',
    (req, res) => {
      const found = siteOf(req, res);
      if (!found) return;
      const value = (req.body as { dataModelVersionValue?: unknown } | undefined)?.dataModelVersionValue;
      if (typeof value !== 'boolean')
        return sendError(res, 400, 'InvalidRequest', 'dataModelVersionValue (boolean) is required.');
      const refusal = world.dataModel.switchTo(found.env, found.site, value);
      if (refusal) return sendError(res, refusal.status, refusal.code, refusal.message);
      // Documented: 200 with no body described.
      res.status(200).end();
    },
  );
}
