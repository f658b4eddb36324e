/**
 * `help`: what the asker may run, grouped by task, with examples naming their own environments
 * and sites, and buttons for the usual next steps.
 */
import type { IntentKind } from '../intents/intent.ts';
import type { Role } from '../policy/policy.ts';
import type { Button, View } from '../views/view.ts';
import { type CommandContext, type CommandSpec, defineCommand } from './command.ts';
import { type ExamplePlace, type ExampleWorld, placeFor, readExampleWorld } from './help-examples.ts';

/** Help's view. */
export type HelpView = Extract<View, { type: 'help' }>;

/** The tasks help groups commands under, in order; a command not named here goes under "More". */
const TASKS: { title: string; kinds: string[] }[] = [
  { title: 'See what is there', kinds: ['sites', 'status', 'jobs', 'templates'] },
  {
    title: 'Create and fix sites',
    kinds: [
      'provision',
      'restart-provisioning',
      'change-and-restart',
      'retry-package-install',
      'restart-site',
      'reset',
      'restore',
    ],
  },
  { title: 'Move configuration', kinds: ['migrate', 'move-data-model'] },
  { title: 'Approve requests', kinds: ['approve', 'reject', 'who-can-approve'] },
  { title: 'When something goes wrong', kinds: ['troubleshoot', 'retry', 'cancel', 'why-cant-i'] },
  { title: 'Alerts in this chat', kinds: ['subscribe', 'unsubscribe', 'alerts'] },
];

/** Shown where no real name is known. */
const SITE = '<site>';
const JOB = '<job id>';

type Examples = (place: ExamplePlace, world: ExampleWorld) => string[];

const site = (p: ExamplePlace, kind: 'configured' | 'failed' | 'packageFailed') =>
  p.sites[kind] ?? p.sites.any ?? SITE;

/** Examples of each command, set in the asker's environment with a site in the state it takes. */
const EXAMPLES: Record<string, { wants?: 'configured' | 'failed' | 'packageFailed'; build: Examples }> = {
  sites: { build: (p) => [`sites in ${p.env}`] },
  status: {
    wants: 'failed',
    build: (p, w) => [
      `status ${p.sites.any ?? SITE} in ${p.env}`,
      ...(p.sites.failed ? [`what's going on with ${p.sites.failed}`] : []),
      ...(w.latestJob ? [`status ${w.latestJob}`] : []),
    ],
  },
  jobs: { build: () => ['my jobs', 'jobs'] },
  templates: { build: () => ['templates', 'what does the partner portal include?'] },
  provision: {
    build: (p) => [`provision a partner portal in ${p.env}`, `provision a customer portal in ${p.env}`],
  },
  'restart-provisioning': {
    wants: 'failed',
    build: (p) => [`restart provisioning ${site(p, 'failed')} in ${p.env}`],
  },
  'change-and-restart': {
    wants: 'failed',
    build: (p) => [`change values and restart ${site(p, 'failed')} in ${p.env}`],
  },
  'retry-package-install': {
    wants: 'packageFailed',
    build: (p) => [`retry the package install for ${site(p, 'packageFailed')} in ${p.env}`],
  },
  'restart-site': {
    wants: 'configured',
    build: (p) => [`restart site ${site(p, 'configured')} in ${p.env}`],
  },
  reset: {
    wants: 'configured',
    build: (p) => [`reset ${site(p, 'configured')} in ${p.env}`],
  },
  restore: { wants: 'configured', build: (p) => [`restore ${site(p, 'configured')} in ${p.env}`] },
  migrate: {
    wants: 'configured',
    build: (p) =>
      p.other
        ? [`migrate ${p.env} to ${p.other} site ${site(p, 'configured')} dry run`]
        : [`migrate ${p.env} to <environment> site ${site(p, 'configured')} dry run`],
  },
  'move-data-model': {
    wants: 'configured',
    build: (p) => [`move ${site(p, 'configured')} in ${p.env} to the enhanced data model`],
  },
  approve: { build: (_p, w) => [`approve ${w.pendingApproval ?? '<request id>'}`] },
  reject: {
    build: (_p, w) => [`reject ${w.pendingApproval ?? '<request id>'} because it is not the right time`],
  },
  'who-can-approve': { build: (p) => [`who can approve resets in ${p.env}`] },
  troubleshoot: { build: () => ['troubleshoot install failed', 'why did provisioning fail'] },
  retry: { build: (_p, w) => [`retry ${w.failedJob ?? JOB}`] },
  cancel: { build: (_p, w) => [`cancel ${w.latestJob ?? JOB}`] },
  'why-cant-i': { build: (p) => [`why can't I reset in ${p.env}`] },
  subscribe: { build: (p) => [`subscribe this channel to ${p.env} alerts`] },
  unsubscribe: { build: (p) => [`unsubscribe from ${p.env} alerts`] },
  alerts: { build: () => ['alerts'] },
};

const say = (label: string, text: string): Button => ({ verb: 'chat.say', label, data: { text } });

/** The usual next steps, as buttons that send the command for the asker. */
function nextSteps(ctx: CommandContext, world: ExampleWorld, allowed: Set<string>): Button[] {
  const buttons: Button[] = [];
  const view = placeFor(ctx, world, 'view', 'failed');
  if (view && allowed.has('sites')) buttons.push(say(`Sites in ${view.env}`, `sites in ${view.env}`));
  if (view?.sites.failed && allowed.has('status'))
    buttons.push(say(`What's wrong with ${view.sites.failed}`, `status ${view.sites.failed} in ${view.env}`));
  const operate = placeFor(ctx, world, 'operate');
  if (operate && allowed.has('provision'))
    buttons.push(say('Provision a site', `provision a partner portal in ${operate.env}`));
  if (world.latestJob && allowed.has('jobs')) buttons.push(say('My jobs', 'my jobs'));
  if (allowed.has('alerts')) buttons.push(say('Alerts here', 'alerts'));
  return buttons.slice(0, 5);
}

/** "admin in dev, test and prod; operator in …": the asker's roles, by environment. */
function rolesLine(ctx: CommandContext): string {
  const byRoles = new Map<string, string[]>();
  for (const entry of ctx.deps.registry.entries) {
    const roles = ctx.deps.policy.rolesOf(ctx.user, entry.alias);
    const key = (['admin', 'approver', 'operator', 'viewer'] as Role[])
      .filter((r) => roles.includes(r) && !(r === 'viewer' && roles.length > 1))
      .join(' and ');
    if (key) byRoles.set(key, [...(byRoles.get(key) ?? []), entry.alias]);
  }
  const join = (xs: string[]) => (xs.length > 1 ? `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}` : xs[0]);
  const parts = [...byRoles].map(([roles, envs]) => `${roles} in ${join(envs)}`);
  return parts.length ? `You are ${parts.join('; ')}.` : 'You have no role in any environment yet.';
}

/**
 * Help's view for `ctx.user`: only commands they may run somewhere, with examples set where
 * they may run them.
 */
export async function helpView(
  ctx: CommandContext,
  specs: readonly CommandSpec[],
  topic?: IntentKind,
): Promise<HelpView> {
  const world = await readExampleWorld(ctx);
  const mayRun = specs.filter(
    (spec) =>
      spec.kind !== 'help' &&
      ctx.deps.registry.entries.some((e) => ctx.deps.policy.can(ctx.user, spec.permission, e.alias).allowed),
  );
  const allowed = mayRun.filter((spec) => !topic || spec.kind === topic);
  const entryOf = (spec: CommandSpec) => {
    const how = EXAMPLES[spec.kind];
    const place = placeFor(ctx, world, spec.permission, how?.wants);
    const examples = how && place ? how.build(place, world) : spec.examples;
    return {
      title: spec.title,
      summary: `${spec.summary}${spec.destructive ? ' (you confirm, another person approves)' : ''}`,
      examples,
    };
  };
  const grouped = new Set<string>();
  const groups = TASKS.map((task) => {
    const commands = allowed.filter((s) => task.kinds.includes(s.kind));
    for (const s of commands) grouped.add(s.kind);
    return { title: task.title, commands: commands.map(entryOf) };
  });
  const rest = allowed.filter((s) => !grouped.has(s.kind));
  groups.push({ title: 'More', commands: rest.map(entryOf) });
  const who = ctx.user.displayName ?? ctx.user.email ?? ctx.user.id;
  const notes = world.unreachable.length
    ? [
        `I could not list the sites of ${world.unreachable.join(', ')} just now, so examples there say ${SITE}.`,
      ]
    : [];
  return {
    type: 'help',
    title: topic && allowed[0] ? `Help: ${allowed[0].title}` : 'What I can do',
    intro:
      allowed.length === 0
        ? `${who}, you may not run that here. ${rolesLine(ctx)} Ask "why can't I ${topic ?? 'reset'}" to see who can.`
        : `${rolesLine(ctx)} Type a request in your own words, or use a button.`,
    groups: groups.filter((g) => g.commands.length > 0),
    notes,
    buttons: nextSteps(ctx, world, new Set(mayRun.map((s) => s.kind))),
  };
}

/** Help lists only commands the caller may run somewhere; the registry fills `commands`. */
export function helpCommand(all: () => CommandSpec[]): CommandSpec<'help'> {
  return defineCommand<'help'>({
    kind: 'help',
    title: 'Help',
    summary: 'what I can do for you, with examples',
    examples: ['help', 'help reset'],
    permission: 'view',
    async run(ctx, intent) {
      return [{ view: await helpView(ctx, all(), intent.topic) }];
    },
  });
}
