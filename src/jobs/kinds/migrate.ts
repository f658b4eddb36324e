/**
 * `migrate`: copy a site's configuration from one environment to another. Preflight (every
 * problem at once, nothing written), export the source, snapshot the target, plan by comparing
 * checksums with the target's actual state, import in `$batch` change sets (only what differs),
 * then read the target back and compare. A crash or a failed batch resumes by planning again
 * against the target as it is then, so nothing is written twice.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { isPortalOpsError, PortalOpsError } from '../../domain/errors.ts';
import { CONFIG_TABLES } from '../../migration/config-tables.ts';
import { siteModelOf } from '../../migration/enhanced-export.ts';
import type { SiteDataModel } from '../../migration/enhanced-model.ts';
import { planImport } from '../../migration/import-plan.ts';
import { preflightProblems } from '../../migration/preflight.ts';
import { exportSite } from '../../migration/site-export.ts';
import { checksum, type SiteRecord } from '../../migration/site-records.ts';
import { writeSitePlan } from '../../migration/site-write.ts';
import { importPlanBasis } from '../../policy/plan-bases.ts';
import { takeSnapshot } from '../../snapshots/site-snapshot.ts';
import type { JobKindDefinition, StepContext, StepDefinition } from '../job-kind.ts';
import { checkApprovedPlan } from './approved-plan.ts';
import { findSite, type LifecycleDeps } from './lifecycle-deps.ts';
import { PROVISIONING_STEPS, type ProvisioningContext } from './provisioning-steps.ts';

/** Parameters of a `migrate` job. */
export interface MigrateParams {
  source: string;
  target: string;
  /** Id, subdomain or name of the site in the source environment. */
  site: string;
  dryRun?: boolean;
  /** Operations per `$batch` change set. */
  batchSize?: number;
}

interface MigrateContext extends ProvisioningContext {
  sourceEnvironmentId?: string;
  targetEnvironmentId?: string;
  websiteRecordId?: string;
  subdomain?: string;
  exportFile?: string;
  records?: number;
  snapshotId?: string;
  planned?: { creates: number; updates: number; deletes: number; unchanged: number; writes: number };
  batchesDone?: number;
  written?: number;
  sourceSite?: { name: string; subdomain: string; templateName: string; selectedBaseLanguage: number };
  /** The data model the site is on in the source (and so in the target). */
  dataModel?: SiteDataModel;
}

const ORDER = CONFIG_TABLES.map((t) => t.logicalName);
const params = (ctx: StepContext<LifecycleDeps>) => ctx.job.params as unknown as MigrateParams;
const context = (ctx: StepContext<LifecycleDeps>) => ctx.job.context as MigrateContext;

async function dataverseOf(ctx: StepContext<LifecycleDeps>, alias: string) {
  const env = await ctx.deps.environments.resolve(alias);
  return { env, dataverse: ctx.deps.dataverse(env.dataverseUrl, env.tenantId) };
}

const preflight: StepDefinition<LifecycleDeps> = {
  id: 'preflight',
  title: 'Check that the target can take the site',
  async run(ctx) {
    const p = params(ctx);
    const source = await dataverseOf(ctx, p.source);
    const target = await dataverseOf(ctx, p.target);
    const site = await findSite(ctx.deps.powerPages, source.env.environmentId, p.site);
    const sourceModel = await siteModelOf(source.dataverse, site.websiteRecordId);
    // A target PortalOps cannot read is listed by the preflight's credentials check.
    const targetModel = await siteModelOf(target.dataverse, site.websiteRecordId).catch(() => undefined);
    const records = await exportSite(source.dataverse, site.websiteRecordId);
    const problems = await preflightProblems({
      source: source.env,
      target: target.env,
      site,
      records,
      targetDataverse: target.dataverse,
      ...(sourceModel ? { sourceModel } : {}),
      ...(targetModel ? { targetModel } : {}),
    });
    if (problems.length > 0) {
      throw new PortalOpsError(
        'migration_preflight_failed',
        `${target.env.alias} is not ready for ${site.subdomain}: ${problems.map((x) => x.message).join(' ')}`,
        { details: { problems } },
      );
    }
    const folder = path.join(ctx.deps.snapshotsDir, '..', 'migrations', ctx.job.id);
    await mkdir(folder, { recursive: true });
    const exportFile = path.join(folder, 'source.json');
    await writeFileAtomic(exportFile, JSON.stringify(records));
    await ctx.saveContext({
      sourceSite: {
        name: site.name,
        subdomain: site.subdomain,
        templateName: site.templateName,
        selectedBaseLanguage: site.selectedBaseLanguage,
      },
      sourceEnvironmentId: source.env.environmentId,
      targetEnvironmentId: target.env.environmentId,
      websiteRecordId: site.websiteRecordId,
      subdomain: site.subdomain,
      exportFile,
      records: records.length,
      dataModel: sourceModel ?? 'Standard',
    } satisfies MigrateContext);
    await ctx.setResult({ dataModel: sourceModel ?? 'Standard' });
    return { output: { records: records.length, dataModel: sourceModel ?? 'Standard' } };
  },
};

async function sourceRecords(ctx: StepContext<LifecycleDeps>): Promise<SiteRecord[]> {
  return JSON.parse(await readFile(context(ctx).exportFile!, 'utf8')) as SiteRecord[];
}

const snapshotTarget: StepDefinition<LifecycleDeps> = {
  id: 'snapshot',
  title: 'Snapshot the target’s configuration',
  async run(ctx) {
    const c = context(ctx);
    if (c.snapshotId || params(ctx).dryRun) return { skipped: true };
    const p = params(ctx);
    const target = await dataverseOf(ctx, p.target);
    const id = `${ctx.job.id}-${p.target}`;
    const snapshot = await takeSnapshot({
      dataverse: target.dataverse,
      store: ctx.deps.store,
      snapshotsDir: ctx.deps.snapshotsDir,
      id,
      environmentId: target.env.environmentId,
      environment: target.env.alias,
      site: c.subdomain!,
      websiteRecordId: c.websiteRecordId!,
      jobId: ctx.job.id,
    });
    await ctx.saveContext({ snapshotId: snapshot.id });
    await ctx.setResult({ snapshot: snapshot.id });
    return { output: { snapshotId: snapshot.id } };
  },
};

const importStep: StepDefinition<LifecycleDeps> = {
  id: 'import',
  title: 'Import what changed',
  async run(ctx) {
    const p = params(ctx);
    const c = context(ctx);
    const target = await dataverseOf(ctx, p.target);
    const source = await sourceRecords(ctx);
    // Planned against the target as it is now: after a crash only what is still different is left.
    const targetRecords = await exportSite(target.dataverse, c.websiteRecordId!);
    const plan = planImport(source, targetRecords, ORDER);
    // Before the first write: this must be the plan that was approved, record for record.
    await checkApprovedPlan(ctx, () =>
      importPlanBasis(
        plan,
        { source, target: targetRecords },
        { websiteRecordId: c.websiteRecordId!.toLowerCase() },
      ),
    );
    const counts = {
      creates: plan.tables.reduce((n, t) => n + t.creates.length, 0),
      updates: plan.tables.reduce((n, t) => n + t.updates.length, 0),
      deletes: plan.tables.reduce((n, t) => n + t.deletes.length, 0),
      unchanged: plan.tables.reduce((n, t) => n + t.unchanged, 0),
      writes: plan.writes,
    };
    if (!c.planned) await ctx.saveContext({ planned: counts });
    await ctx.setResult({
      planned: `${counts.creates} new, ${counts.updates} changed, ${counts.deletes} removed, ${counts.unchanged} unchanged`,
    });
    if (p.dryRun) return { output: { dryRun: true, ...counts } };
    const writtenBefore = c.written ?? 0;
    let written = writtenBefore;
    const done = await writeSitePlan(target.dataverse, plan, {
      model: c.dataModel ?? 'Standard',
      websiteRecordId: c.websiteRecordId!,
      desired: source,
      batchSize: p.batchSize ?? 100,
      ...(ctx.deps.throttle ? { throttle: ctx.deps.throttle } : {}),
      onBatch: async (progress) => {
        written = writtenBefore + progress.writes;
        await ctx.saveContext({ batchesDone: (c.batchesDone ?? 0) + progress.batchesDone, written });
        await ctx.progress(
          Math.round((progress.batchesDone / Math.max(1, progress.batches)) * 100),
          `batch ${progress.batchesDone} of ${progress.batches}`,
        );
      },
    });
    await ctx.setResult({ written: String(written) });
    return { output: { written, batches: done.batches } };
  },
};

const verify: StepDefinition<LifecycleDeps> = {
  id: 'compare',
  title: 'Compare the target with the source',
  async run(ctx) {
    const p = params(ctx);
    if (p.dryRun) return { skipped: true };
    const target = await dataverseOf(ctx, p.target);
    const source = await sourceRecords(ctx);
    const actual = new Map(
      (await exportSite(target.dataverse, context(ctx).websiteRecordId!)).map((r) => [
        `${r.table}:${r.id}`,
        r,
      ]),
    );
    const mismatches: { field: string; message: string; fix: string }[] = [];
    for (const record of source) {
      const there = actual.get(`${record.table}:${record.id}`);
      if (!there || checksum(there) !== checksum(record)) {
        const name = String(record.columns.adx_name ?? record.columns.filename ?? '');
        mismatches.push({
          field: `${record.table} ${record.id}${name ? ` (${name})` : ''}`,
          message: there ? 'differs from the source' : 'is missing in the target',
          fix: 'Retry the migration; check for automation that edits it in the target.',
        });
      }
    }
    // And nothing the source no longer has is left behind.
    const inSource = new Set(source.map((r) => `${r.table}:${r.id}`));
    for (const [key, record] of actual) {
      if (inSource.has(key)) continue;
      const name = String(record.columns.adx_name ?? record.columns.filename ?? '');
      mismatches.push({
        field: `${record.table} ${record.id}${name ? ` (${name})` : ''}`,
        message: 'is in the target but no longer in the source',
        fix: 'Retry the migration; check for automation that creates it in the target.',
      });
    }
    if (mismatches.length > 0) {
      throw new PortalOpsError(
        'migration_verify_failed',
        `${mismatches.length} record(s) in ${p.target} do not match ${p.source}.`,
        { details: { problems: mismatches.slice(0, 50) } },
      );
    }
    await ctx.setResult({ verified: `${source.length} records equal` });
    return { output: { verified: source.length } };
  },
};

/**
 * The target's site on the imported website record: the existing one, or a new one provisioned
 * on that record (the provisioning steps that follow then create it, or just check it answers).
 */
const reactivate: StepDefinition<LifecycleDeps> = {
  id: 'reactivate',
  title: 'Find or reactivate the site in the target',
  async run(ctx) {
    const c = context(ctx);
    if (c.createRequest || c.websiteId) return { skipped: true };
    const p = params(ctx);
    const target = await ctx.deps.environments.resolve(p.target);
    // Matched by the website record, the key the provisioning steps find a created site by. The
    // API reports no "deleting" status, so a site on the record is taken as the target's site.
    const existing = (await ctx.deps.powerPages.listWebsites(target.environmentId)).find(
      (s) => s.websiteRecordId.toLowerCase() === c.websiteRecordId!.toLowerCase(),
    );
    const source = c.sourceSite!;
    await ctx.saveContext({
      environmentId: target.environmentId,
      createRequest: {
        dataverseOrganizationId: target.organizationId,
        name: source.name,
        selectedBaseLanguage: source.selectedBaseLanguage,
        subdomain: `${source.subdomain}-${target.alias}`.slice(0, 63),
        templateName: source.templateName,
        websiteRecordId: c.websiteRecordId!,
      },
      ...(existing ? { websiteId: existing.id } : {}),
    } satisfies ProvisioningContext);
    return {
      output: existing
        ? { existing: existing.subdomain }
        : { reactivating: `${source.subdomain}-${target.alias}` },
    };
  },
};

/** `migrate`: the site's configuration from one environment into another. */
export const migrateKind: JobKindDefinition<LifecycleDeps> = {
  kind: 'migrate',
  title: (job) => {
    const p = job.params as unknown as MigrateParams;
    return `${p.dryRun ? 'Dry run: migrate' : 'Migrate'} ${p.site} from ${p.source} to ${p.target}`;
  },
  steps: (job) =>
    (job.params as unknown as MigrateParams).dryRun
      ? [preflight, snapshotTarget, importStep, verify]
      : [preflight, snapshotTarget, importStep, verify, reactivate, ...PROVISIONING_STEPS],
};

/** True when an error is a preflight refusal (nothing was written). */
export function isPreflightFailure(error: unknown): boolean {
  return isPortalOpsError(error) && error.code === 'migration_preflight_failed';
}
