/**
 * The data-model checks of a migration or upload, before anything is written: a site migrates
 * into a site on the same data model only (moving a site between models is the documented
 * migration, `pac pages migrate-datamodel` or PortalOps' "move <site> to the enhanced data
 * model"), an enhanced-model target has the enhanced model's tables, and every record fits the
 * model it goes into.
 */
import type { Dataverse } from '../platform/ports.ts';
import { ADX_TABLES_IN_ENHANCED, COMPONENT_TYPES, contentOf, type SiteDataModel } from './enhanced-model.ts';
import type { PreflightProblem } from './preflight.ts';
import { MANY_TO_MANY } from './schema.ts';
import type { SiteRecord } from './site-records.ts';

const KEPT = new Set(ADX_TABLES_IN_ENHANCED);

/** The command that moves a site onto the enhanced data model, as chat and the CLI take it. */
export function moveCommand(site: string): string {
  return `move ${site} to the enhanced data model`;
}

/** Why `records` cannot be written into an enhanced-model site, one problem per kind. */
export function enhancedFitProblems(records: SiteRecord[]): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  const unfit: string[] = [];
  for (const record of records) {
    if (
      !(record.table in COMPONENT_TYPES) &&
      record.table !== 'adx_websitelanguage' &&
      record.table !== 'adx_website'
    )
      continue;
    try {
      contentOf(record);
    } catch (error) {
      unfit.push((error as Error).message);
    }
  }
  if (unfit.length > 0)
    problems.push({
      field: 'enhanced data model columns',
      message: `${unfit.length} record(s) have columns a powerpagecomponent cannot hold: ${unfit.slice(0, 3).join(' ')}`,
      fix: 'Remove those columns from the records (they are custom columns of the standard tables), or keep the site on the standard data model.',
    });
  // A table the enhanced model keeps as adx_* rows cannot link rows that are components there.
  for (const record of records) {
    if (!KEPT.has(record.table)) continue;
    for (const relationship of MANY_TO_MANY[record.table] ?? []) {
      if (
        !(relationship.targetTable in COMPONENT_TYPES) ||
        (record.links[relationship.name] ?? []).length === 0
      )
        continue;
      problems.push({
        field: `${record.table} ${record.id}`,
        message: `${record.table} ${record.id} links ${relationship.targetTable} rows (${relationship.name}); on the enhanced data model those are powerpagecomponent rows, which a ${record.table} row cannot link.`,
        fix: `Remove the ${relationship.name} links from the record (set them again in the Power Pages management app after the upload), or keep the site on the standard data model.`,
      });
    }
  }
  return problems;
}

/**
 * The data-model problems of writing a site of `sourceModel` into `target`, where the target
 * already holds the site's record on `targetModel` (undefined: not there yet, it is created on
 * the source's model).
 */
export async function dataModelProblems(options: {
  sourceModel: SiteDataModel | undefined;
  targetModel: SiteDataModel | undefined;
  site: string;
  targetAlias: string;
  sourceAlias?: string;
  records: SiteRecord[];
  targetDataverse: Dataverse;
}): Promise<PreflightProblem[]> {
  const { sourceModel, targetModel, site, targetAlias } = options;
  const from = options.sourceAlias ? `${site} in ${options.sourceAlias}` : `The folder of ${site}`;
  if (sourceModel && targetModel && sourceModel !== targetModel) {
    const fix =
      sourceModel === 'Standard'
        ? `Move ${site} to the enhanced data model first ("${moveCommand(site)}" in chat, or pac pages migrate-datamodel), then migrate it again.`
        : `Move the site in ${targetAlias} to the enhanced data model ("${moveCommand(`its site in ${targetAlias}`)}", or pac pages migrate-datamodel), or delete that site, then migrate again.`;
    return [
      {
        field: 'data model',
        message: `${from} is on the ${sourceModel.toLowerCase()} data model and ${targetAlias} holds its website record on the ${targetModel.toLowerCase()} data model; PortalOps does not convert a site between data models while migrating it.`,
        fix,
      },
    ];
  }
  const model = targetModel ?? sourceModel ?? 'Standard';
  if (model !== 'Enhanced') return [];
  // A target PortalOps cannot read is reported by the credentials check.
  const hasTables = await options.targetDataverse.getTable('powerpagecomponent').then(
    (table) => table !== null,
    () => true,
  );
  if (!hasTables)
    return [
      {
        field: 'data model',
        message: `${site} is on the enhanced data model and ${targetAlias} has no powerpagesite/powerpagecomponent tables.`,
        fix: `Enable the enhanced data model in ${targetAlias} (Power Platform admin center), then run it again.`,
      },
    ];
  return enhancedFitProblems(options.records);
}

/** The records the standard tables' checks apply to when the site goes into `model`. */
export function recordsInAdxTables(records: SiteRecord[], model: SiteDataModel): SiteRecord[] {
  return model === 'Enhanced' ? records.filter((r) => KEPT.has(r.table)) : records;
}
