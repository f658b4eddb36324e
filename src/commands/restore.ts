/**
 * `restore contoso in prod to snapshot 1`: a site's configuration back to a snapshot (by its id,
 * or its number with 1 the newest). Destructive: the requester types the site name, and an
 * approver must approve when the environment is protected.
 */
import { listSnapshots } from '../snapshots/site-snapshot.ts';
import { notAnEnvironment } from './ask.ts';
import { restorePlan } from './destructive-plans.ts';
import { defineCommand, say } from './index-helpers.ts';
import { askTypedConfirmation } from './typed-confirmation.ts';

export const restoreCommand = defineCommand<'restore'>({
  kind: 'restore',
  title: 'Restore a snapshot',
  summary: 'put a site’s configuration back to a snapshot taken before a reset, migration or restore',
  examples: [
    'restore contoso-dev in dev to snapshot 1',
    'restore prod site contoso to snapshot J-7K2Q9-prod',
  ],
  permission: 'operate',
  sideEffects: 'creates, changes and removes configuration records of the site',
  destructive: true,
  confirmation: 'type-site-name',
  approval: 'protected-target',
  environmentOf: (intent) => intent.environment,
  async run(ctx, intent) {
    if (!ctx.deps.store) return say('Snapshots are not available here.', { tone: 'warning' });
    if (intent.unknownEnvironment) {
      const { text, suggestions } = notAnEnvironment(ctx, intent.unknownEnvironment);
      return say(`${text} Say the restore again with the site's environment.`, { suggestions });
    }
    if (!intent.site)
      return say('Which site should I restore? For example "restore contoso-dev in dev to snapshot 1".');
    const snapshots = listSnapshots(ctx.deps.store, intent.site).filter(
      (s) => !intent.environment || s.environment === intent.environment,
    );
    if (snapshots.length === 0)
      return say(
        `There is no snapshot of ${intent.site}${intent.environment ? ` in ${intent.environment}` : ''}.`,
        {
          suggestions: ['jobs'],
        },
      );
    const list = snapshots
      .slice(0, 5)
      .map(
        (s, i) => `${i + 1}. ${s.id} (${s.environment}, ${s.createdAt.slice(0, 16).replace('T', ' ')} UTC)`,
      )
      .join('\n');
    const wanted = intent.snapshot;
    const snapshot = !wanted
      ? undefined
      : /^\d+$/.test(wanted)
        ? snapshots[Number(wanted) - 1]
        : snapshots.find((s) => s.id.toLowerCase() === wanted.toLowerCase());
    if (!snapshot)
      return say(
        `${wanted ? `There is no snapshot "${wanted}" of ${intent.site}. ` : ''}Which one? Newest first:\n${list}`,
        {
          suggestions: [`restore ${intent.site} in ${snapshots[0]!.environment} to snapshot 1`],
        },
      );
    const env = ctx.deps.registry.get(snapshot.environment);
    const title = `Restore ${snapshot.site} in ${env.alias} to snapshot ${snapshot.id}`;
    const { plan, basis } = await restorePlan(ctx, snapshot);
    const count = (key: 'creates' | 'updates' | 'deletes') =>
      plan.tables.reduce((n, t) => n + t[key].length, 0);
    const lines = [
      `Snapshot ${snapshot.site}'s configuration as it is now, so this can be undone`,
      `Create, change and remove records until it matches ${snapshot.id} (${Object.values(snapshot.tables).reduce((a, b) => a + b, 0)} records, taken ${snapshot.createdAt.slice(0, 16).replace('T', ' ')} UTC): ${count('creates')} new, ${count('updates')} changed, ${count('deletes')} removed`,
    ];
    const params = { snapshot: snapshot.id };
    return [
      await askTypedConfirmation(ctx, {
        kind: 'restore',
        params,
        basis,
        environment: env,
        site: snapshot.site,
        title,
        plan: lines,
        needsApproval: env.protected,
        confirmLabel: 'Restore',
      }),
    ];
  },
});
