/**
 * The checks an upload makes before writing anything: the migration preflight (languages,
 * configuration tables and columns, portal solution and template solutions, tables the
 * configuration names), run for a site folder instead of a source environment, plus what only
 * a folder can bring: every language the site has enabled, and the data model of the site
 * the target already has on the folder's website record. A folder is the same for both data
 * models (pac writes `adx_` names either way), so it goes into the site on the model the target
 * holds it on; `--data-model` says which model a site new to the target is created on.
 */
import type { EnvironmentDetails } from '../domain/environment.ts';
import { PortalOpsError } from '../domain/errors.ts';
import type { Website } from '../domain/website.ts';
import { siteModelOf } from '../migration/enhanced-export.ts';
import type { SiteDataModel } from '../migration/enhanced-model.ts';
import { type PreflightProblem, preflightProblems } from '../migration/preflight.ts';
import type { SiteRecord } from '../migration/site-records.ts';
import type { Dataverse, PowerPagesApi } from '../platform/ports.ts';

/** Every problem that would stop `records` (a site folder's) from going into `target`. */
export async function uploadPreflightProblems(options: {
  folder: string;
  records: SiteRecord[];
  target: EnvironmentDetails;
  targetDataverse: Dataverse;
  powerPages: PowerPagesApi;
  /** The data model the folder is meant for (`--data-model`); by default the target's. */
  dataModel?: SiteDataModel;
}): Promise<PreflightProblem[]> {
  const { records, target } = options;
  const website = records.find((r) => r.table === 'adx_website');
  if (!website) return [];
  const existing = await siteOnRecord(options.powerPages, target.environmentId, website.id);
  const language = Number(website.columns.adx_website_language) || existing?.selectedBaseLanguage;
  const site: Website =
    existing ?? folderSite(options.folder, website, target, language ?? target.baseLanguage);
  // A folder has no source environment: the environment-to-environment language check does not
  // apply, the site's own languages do (below and in the shared checks).
  const listed = existing?.dataModel;
  const targetModel: SiteDataModel | undefined =
    (await siteModelOf(options.targetDataverse, website.id).catch(() => undefined)) ??
    (listed === 'Standard' ? 'Standard' : listed === 'Enhanced' ? 'Enhanced' : undefined);
  const problems = await preflightProblems({
    source: target,
    target,
    site: { ...site, selectedBaseLanguage: language ?? site.selectedBaseLanguage },
    records,
    targetDataverse: options.targetDataverse,
    ...(options.dataModel ? { sourceModel: options.dataModel } : {}),
    ...(targetModel ? { targetModel } : {}),
  });
  problems.push(...(await siteLanguageProblems(records, target, options.targetDataverse, language)));
  return problems;
}

/** Throws `migration_preflight_failed` listing every problem with its fix; nothing was written. */
export function refuseUpload(folder: string, target: string, problems: PreflightProblem[]): never {
  const lines = problems.map((p) => `  • ${p.field}: ${p.message}\n    → ${p.fix}`);
  throw new PortalOpsError(
    'migration_preflight_failed',
    `${target} is not ready for ${folder}; nothing was written (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
    { details: { problems } },
  );
}

async function siteOnRecord(
  powerPages: PowerPagesApi,
  environmentId: string,
  websiteRecordId: string,
): Promise<Website | undefined> {
  try {
    return (await powerPages.listWebsites(environmentId)).find(
      (s) => s.websiteRecordId.toLowerCase() === websiteRecordId.toLowerCase(),
    );
  } catch {
    // Not being able to list sites does not stop a configuration upload; Dataverse access is checked.
    return undefined;
  }
}

/** The site a folder describes, for the checks that take a site (no template: none is known). */
function folderSite(
  folder: string,
  website: SiteRecord,
  target: EnvironmentDetails,
  language: number,
): Website {
  return {
    id: '',
    name: String(website.columns.adx_name ?? folder),
    createdOn: '',
    templateName: '',
    websiteUrl: '',
    tenantId: target.tenantId,
    dataverseInstanceUrl: target.dataverseUrl,
    environmentName: target.displayName,
    environmentId: target.environmentId,
    dataverseOrganizationId: target.organizationId,
    selectedBaseLanguage: language,
    customHostNames: [],
    websiteRecordId: website.id,
    subdomain: folder,
    packageInstallStatus: 'None',
    type: 'Production',
    trialExpiringInDays: null,
    suspendedWebsiteDeletingInDays: null,
    packageVersion: '',
    isEarlyUpgradeEnabled: false,
    isCustomErrorEnabled: false,
    applicationUserAadAppId: '',
    ownerId: '',
    status: 'OperationComplete',
    siteVisibility: 'private',
  };
}

/**
 * The site's other enabled languages (its website language records) that the target has not
 * enabled. A website language names a portal language by id; its LCID comes from the target's
 * portal language table, so languages the target does not list are left to the import.
 */
async function siteLanguageProblems(
  records: SiteRecord[],
  target: EnvironmentDetails,
  dataverse: Dataverse,
  baseLanguage: number | undefined,
): Promise<PreflightProblem[]> {
  const wanted = records
    .filter((r) => r.table === 'adx_websitelanguage')
    .map((r) => ({
      name: String(r.columns.adx_name ?? r.id),
      portalLanguage: r.lookups.adx_portallanguageid ?? r.columns.adx_portallanguageid,
    }))
    .filter((w): w is { name: string; portalLanguage: string } => typeof w.portalLanguage === 'string');
  if (wanted.length === 0) return [];
  let lcids: Map<string, number>;
  try {
    const rows = await dataverse.query('adx_portallanguages', {
      select: ['adx_portallanguageid', 'adx_lcid'],
    });
    lcids = new Map(rows.map((r) => [String(r.adx_portallanguageid).toLowerCase(), Number(r.adx_lcid)]));
  } catch {
    return [];
  }
  const problems: PreflightProblem[] = [];
  const reported = new Set<number>(baseLanguage === undefined ? [] : [baseLanguage]);
  for (const w of wanted) {
    const lcid = lcids.get(w.portalLanguage.toLowerCase());
    if (!lcid || target.installedLanguages.includes(lcid) || reported.has(lcid)) continue;
    reported.add(lcid);
    problems.push({
      field: 'site language',
      message: `The site has ${w.name} (${lcid}) enabled, and ${target.alias} has no language ${lcid} enabled.`,
      fix: `Enable language ${lcid} in ${target.alias} (Power Platform admin center → environment → Settings → Languages).`,
    });
  }
  return problems;
}
