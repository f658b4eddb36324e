/**
 * `migrate dev to prod site S [dry run]`: plans the migration of a site's configuration
 * (preflight, then what would be created, changed and removed, from the target's actual state),
 * shows the plan, and on a real run asks the requester to type the site name; an approver must
 * approve when the target is protected. The job then imports, verifies and reports.
 */
import { tableDisplayName } from '../domain/table-names.ts';
import { preflightProblems } from '../migration/preflight.ts';
import type { Button, View } from '../views/view.ts';
import { notAnEnvironment } from './ask.ts';
import { defineCardAction } from './card-action.ts';
import { migrationPlan } from './destructive-plans.ts';
import { defineCommand, say } from './index-helpers.ts';
import { askTypedConfirmation } from './typed-confirmation.ts';

/** "Run this migration" on a dry run's plan: the same migration for real (typed name, approval). */
function runButton(source: string, target: string, site: string): Button {
  return {
    verb: 'migration.run',
    label: 'Run this migration',
    data: { source, target, site },
    style: 'positive',
  };
}

/**
 * The dry run's button: plans again (the target may have changed) exactly as typing the
 * migration does; the new plan replaces the dry run's card and the confirmation follows it.
 */
const runMigrationAction = defineCardAction({
  verbs: ['migration.run'],
  async handle(click) {
    const { source, target, site } = click.data;
    const replies = await click.run({
      kind: 'migrate',
      ...(source ? { source } : {}),
      ...(target ? { target } : {}),
      ...(site ? { site } : {}),
      dryRun: false,
    });
    const [first, ...rest] = replies;
    return first?.view.type === 'migration-plan' ? { replace: first.view, replies: rest } : { replies };
  },
});

export const migrateCommand = defineCommand<'migrate'>({
  kind: 'migrate',
  title: 'Migrate configuration',
  summary: 'copy a site’s configuration from one environment to another (only what differs)',
  examples: ['migrate dev to prod site contoso', 'migrate dev to test site contoso dry run'],
  permission: 'operate',
  sideEffects: 'changes configuration records in the target environment',
  destructive: true,
  confirmation: 'type-site-name',
  approval: 'protected-target',
  environmentOf: (intent) => intent.target,
  actions: [runMigrationAction],
  async run(ctx, intent) {
    if (intent.unknownEnvironment && (!intent.source || !intent.target)) {
      const { text } = notAnEnvironment(ctx, intent.unknownEnvironment);
      return say(`${text} Say where from and where to, for example "migrate dev to prod site contoso".`, {
        suggestions: ['migrate dev to test site contoso-dev dry run'],
      });
    }
    if (!intent.source || !intent.target)
      return say('Say where from and where to, for example "migrate dev to prod site contoso".', {
        suggestions: ['migrate dev to test site contoso-dev dry run'],
      });
    if (!intent.site)
      return say(
        `Which site should I migrate from ${intent.source}? For example "migrate ${intent.source} to ${intent.target} site contoso-dev".`,
        {
          suggestions: [`sites in ${intent.source}`],
        },
      );
    if (!ctx.deps.dataverse) return say('Migrations are not set up here.', { tone: 'warning' });
    const source = await ctx.deps.environments.resolve(intent.source);
    const target = await ctx.deps.environments.resolve(intent.target);
    if (source.environmentId === target.environmentId)
      return say('The source and the target are the same environment.', { tone: 'error' });
    const { site, records, targetDv, plan, basis } = await migrationPlan(ctx, {
      source: source.alias,
      target: target.alias,
      site: intent.site,
    });
    const problems = await preflightProblems({ source, target, site, records, targetDataverse: targetDv });
    const title = `Migrate ${site.subdomain} from ${source.alias} to ${target.alias}`;
    const planView: View = {
      type: 'migration-plan',
      title: intent.dryRun ? `Dry run: ${title}` : title,
      source: source.alias,
      target: target.alias,
      tables: plan.tables
        .filter((t) => t.creates.length + t.updates.length + t.deletes.length > 0)
        .map((t) => ({
          table: tableDisplayName(t.table),
          creates: t.creates.length,
          updates: t.updates.length,
          deletes: t.deletes.length,
        })),
      warnings: [
        ...problems.map((p) => `${p.message} ${p.fix}`),
        ...(target.protected && !intent.dryRun
          ? [`${target.alias} is protected: an approver other than you must approve.`]
          : []),
      ],
      buttons: intent.dryRun ? [runButton(source.alias, target.alias, site.subdomain)] : [],
    };
    if (problems.length > 0) {
      return [
        { view: { ...planView, buttons: [] } },
        ...say(
          `Nothing was changed: ${target.alias} is not ready for ${site.subdomain} (${problems.length} problem${problems.length === 1 ? '' : 's'} above).`,
          {
            tone: 'error',
          },
        ),
      ];
    }
    const unchanged = plan.tables.reduce((n, t) => n + t.unchanged, 0);
    if (plan.writes === 0)
      return [
        { view: { ...planView, buttons: [] } },
        ...say(`${target.alias} already matches ${source.alias}: all ${unchanged} records are the same.`),
      ];
    if (intent.dryRun)
      return [
        { view: planView },
        ...say(
          `Dry run: ${plan.writes} record(s) would be written, ${unchanged} are already the same. Nothing was changed.`,
        ),
      ];
    const params = { source: source.alias, target: target.alias, site: site.subdomain };
    const lines = [
      `Snapshot ${target.alias}'s configuration of ${site.subdomain} first, so it can be restored`,
      ...planView.tables.map(
        (t) => `${t.table}: ${t.creates} new, ${t.updates} changed, ${t.deletes} removed`,
      ),
      `${unchanged} record(s) are the same and are not sent`,
    ];
    const confirmation = await askTypedConfirmation(ctx, {
      kind: 'migrate',
      params,
      basis,
      environment: target,
      site: site.subdomain,
      title,
      plan: lines,
      needsApproval: target.protected,
      confirmLabel: 'Migrate',
    });
    return [{ view: planView }, confirmation];
  },
});
