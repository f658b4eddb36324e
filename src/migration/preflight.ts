/**
 * Checks that a target environment can take a site's configuration, before anything is
 * written: same base language, the site's language enabled, and every Dataverse table the
 * configuration names (forms, lists, table permissions). Every problem is reported at once.
 */
import type { EnvironmentDetails } from '../domain/environment.ts';
import type { Website } from '../domain/website.ts';
import type { Dataverse } from '../platform/ports.ts';
import type { SiteRecord } from './site-records.ts';

/** One reason the target is not ready, with the fix. */
export interface PreflightProblem {
  field: string;
  message: string;
  fix: string;
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

/** Every problem that would stop the migration of `site` from `source` into `target`. */
export async function preflightProblems(options: {
  source: EnvironmentDetails;
  target: EnvironmentDetails;
  site: Website;
  records: SiteRecord[];
  targetDataverse: Dataverse;
}): Promise<PreflightProblem[]> {
  const { source, target, site } = options;
  const problems: PreflightProblem[] = [];
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
