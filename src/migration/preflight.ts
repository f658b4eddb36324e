/**
 * Checks that a target environment can take a site's configuration, before anything is
 * written: PortalOps can read it, same base language, the site's language enabled, a portal
 * solution recent enough, the solutions the site's template needs, and every Dataverse table
 * the configuration names (forms, lists, table permissions). Every problem is reported at once.
 */
import type { EnvironmentDetails } from '../domain/environment.ts';
import { findTemplate } from '../domain/templates.ts';
import type { Website } from '../domain/website.ts';
import type { Dataverse } from '../platform/ports.ts';
import { dataModelProblems, recordsInAdxTables } from './data-model-preflight.ts';
import { siteModelOf } from './enhanced-export.ts';
import type { SiteDataModel } from './enhanced-model.ts';
import type { SiteRecord } from './site-records.ts';
import { loadSiteSchema, type SiteSchema } from './site-schema.ts';

/** One reason the target is not ready, with the fix. */
export interface PreflightProblem {
  field: string;
  message: string;
  fix: string;
}

/** The portal base solution and the oldest version migrations support. */
const PORTAL_SOLUTION = 'MicrosoftPortalBase';
const MINIMUM_PORTAL_VERSION = '8.4.0.275';

/** Compares dotted versions numerically (-1, 0, 1). */
export function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** Tables whose records name a Dataverse table the target must have, and the column naming it. */
const TABLE_NAMING_COLUMNS: Record<string, string> = {
  adx_entityform: 'adx_entityname',
  adx_entitylist: 'adx_entityname',
  adx_entitypermission: 'adx_entitylogicalname',
  adx_webform: 'adx_entityname',
};

/** The Dataverse tables a site's configuration names. */
export function tablesNamedBy(records: SiteRecord[]): string[] {
  const named = new Set<string>();
  for (const record of records) {
    const column = TABLE_NAMING_COLUMNS[record.table];
    const value = column ? record.columns[column] : undefined;
    if (typeof value === 'string' && /^[a-z_][a-z0-9_]*$/.test(value)) named.add(value);
  }
  return [...named].sort();
}

/** A column some records have and the target's table lacks, with those records. */
export interface MissingColumn {
  table: string;
  column: string;
  records: { id: string; name?: string }[];
}

/**
 * The columns (and lookups) the records carry that the target's metadata does not have, per
 * table and column, with the records that use each: writing them would be refused half-way.
 * Tables the target lacks altogether are reported on their own and left out here.
 */
export function missingColumns(records: SiteRecord[], schema: SiteSchema): MissingColumn[] {
  const found = new Map<string, MissingColumn>();
  for (const record of records) {
    const table = schema.tables.get(record.table);
    if (!table) continue;
    const used = [
      ...Object.keys(record.columns),
      ...Object.keys(record.lookups),
      ...Object.keys(record.links),
    ];
    for (const column of used) {
      if (table.attributes.has(column) || table.lookups.has(column)) continue;
      if (table.manyToMany.some((m) => m.relationship === column)) continue;
      // An empty value or link list writes nothing.
      const value = record.columns[column] ?? record.lookups[column] ?? record.links[column];
      if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) continue;
      const key = `${record.table}.${column}`;
      const entry = found.get(key) ?? { table: record.table, column, records: [] };
      const name = record.columns[table.primaryNameAttribute];
      entry.records.push({ id: record.id, ...(typeof name === 'string' ? { name } : {}) });
      found.set(key, entry);
    }
  }
  return [...found.values()].sort((a, b) => `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`));
}

/** The preflight problems of {@link missingColumns}, one per table and column. */
export function missingColumnProblems(missing: MissingColumn[], targetAlias: string): PreflightProblem[] {
  return missing.map((m) => {
    const shown = m.records
      .slice(0, 5)
      .map((r) => (r.name ? `${r.id} (${r.name})` : r.id))
      .join(', ');
    const more = m.records.length > 5 ? ` and ${m.records.length - 5} more` : '';
    return {
      field: `column ${m.table}.${m.column}`,
      message: `${m.records.length} ${m.table} record(s) have ${m.column}, which ${targetAlias}'s ${m.table} table does not have: ${shown}${more}.`,
      fix: `Install or update the solution that adds ${m.column} to ${m.table} in ${targetAlias} (for adx_ columns, the portal solutions), then run it again.`,
    };
  });
}

/** Every problem that would stop the migration of `site` from `source` into `target`. */
export async function preflightProblems(options: {
  source: EnvironmentDetails;
  target: EnvironmentDetails;
  site: Website;
  records: SiteRecord[];
  targetDataverse: Dataverse;
  /** The data model the source keeps the site on. */
  sourceModel?: SiteDataModel;
  /** The data model the target holds the site's record on (undefined: not there yet). */
  targetModel?: SiteDataModel;
}): Promise<PreflightProblem[]> {
  const { source, target, site } = options;
  const problems: PreflightProblem[] = [];
  // Callers that know the models pass them; otherwise the site's WebsiteDto and the target tell.
  const listed: SiteDataModel | undefined =
    site.dataModel === 'Standard' ? 'Standard' : site.dataModel === 'Enhanced' ? 'Enhanced' : undefined;
  const sourceModel = options.sourceModel ?? listed;
  const targetModel =
    options.targetModel ?? (await siteModelOrNothing(options.targetDataverse, site.websiteRecordId));
  if (!options.records.some((r) => r.table === 'adx_website')) {
    // Without its website row the export is empty, and an empty source would empty the target.
    problems.push({
      field: 'website record',
      message: `${site.subdomain} in ${source.alias} has no website record (neither an adx_website nor a powerpagesite row ${site.websiteRecordId}), so there is no configuration to migrate.`,
      fix: 'Check that the site finished provisioning in the source, or pick another site.',
    });
  }
  problems.push(
    ...(await dataModelProblems({
      sourceModel,
      targetModel,
      site: site.subdomain,
      sourceAlias: source.alias,
      targetAlias: target.alias,
      records: options.records,
      targetDataverse: options.targetDataverse,
    })),
  );
  // Only the records kept in adx_* tables need those tables and columns in the target.
  const adxRecords = recordsInAdxTables(options.records, targetModel ?? sourceModel ?? 'Standard');
  if (source.baseLanguage !== target.baseLanguage) {
    problems.push({
      field: 'default language',
      message: `${source.alias} uses ${source.baseLanguage}, ${target.alias} uses ${target.baseLanguage}.`,
      fix: 'Migrate between environments with the same base language.',
    });
  }
  if (!target.installedLanguages.includes(site.selectedBaseLanguage)) {
    problems.push({
      field: 'site language',
      message: `${target.alias} has no language ${site.selectedBaseLanguage} enabled.`,
      fix: `Enable language ${site.selectedBaseLanguage} in ${target.alias}.`,
    });
  }
  let solutions: Map<string, string> | undefined;
  try {
    await options.targetDataverse.whoAmI();
    const rows = await options.targetDataverse.query('solutions', { select: ['uniquename', 'version'] });
    solutions = new Map(rows.map((r) => [String(r.uniquename).toLowerCase(), String(r.version)]));
  } catch (error) {
    problems.push({
      field: 'credentials',
      message: `PortalOps cannot read ${target.alias} (${(error as Error).message}).`,
      fix: `Sign in with an account that has a role in ${target.alias}${source.tenantId !== target.tenantId ? ` (tenant ${target.tenantId})` : ''}: portalops login.`,
    });
  }
  if (solutions) {
    const portal = solutions.get(PORTAL_SOLUTION.toLowerCase());
    if (!portal || compareVersions(portal, MINIMUM_PORTAL_VERSION) < 0) {
      problems.push({
        field: 'portal solution',
        message: `${target.alias} has ${portal ? `${PORTAL_SOLUTION} ${portal}` : `no ${PORTAL_SOLUTION}`}; migrations need ${MINIMUM_PORTAL_VERSION} or later.`,
        fix: `Update the portal solutions in ${target.alias} from the Power Platform admin center.`,
      });
    }
    const template = findTemplate(site.templateName);
    const missing = (template?.requiredSolutions ?? []).filter(
      (r) => !solutions!.has(r.uniqueName.toLowerCase()),
    );
    if (missing.length > 0) {
      problems.push({
        field: 'template',
        message: `The site uses ${template?.displayName ?? site.templateName}, which needs ${missing.map((m) => m.displayName).join(', ')} in ${target.alias}.`,
        fix: `Install ${missing.map((m) => m.displayName).join(' and ')} in ${target.alias}.`,
      });
    }
  }
  if (solutions) {
    // Read afresh: a solution installed since the last read may have added tables or columns.
    const schema = await loadSiteSchema(options.targetDataverse, { refresh: true });
    const missing = [...new Set(adxRecords.map((r) => r.table))].filter((t) => !schema.tables.has(t));
    for (const table of missing) {
      problems.push({
        field: `configuration table ${table}`,
        message: `The site has ${table} records, and ${target.alias} has no ${table} table to hold them.`,
        fix: `Install or update the portal solutions in ${target.alias}, so it has ${table}.`,
      });
    }
    problems.push(...missingColumnProblems(missingColumns(adxRecords, schema), target.alias));
  }
  for (const table of tablesNamedBy(options.records)) {
    if (!(await options.targetDataverse.getTable(table))) {
      problems.push({
        field: `table ${table}`,
        message: `The site's forms, lists or permissions name ${table}, which ${target.alias} does not have.`,
        fix: `Install the solution that adds ${table} in ${target.alias}.`,
      });
    }
  }
  return problems;
}

/** The model the target holds the record on; undefined when it cannot be read (the credentials check reports that). */
async function siteModelOrNothing(dataverse: Dataverse, websiteRecordId: string) {
  try {
    return await siteModelOf(dataverse, websiteRecordId);
  } catch {
    return undefined;
  }
}
