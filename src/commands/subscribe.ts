/**
 * `subscribe this channel to prod alerts`: the conversation hears an environment's alerts, and
 * sees at once what is open there; `alerts` lists what is open and what this conversation gets.
 */
import { ALERT_CONDITIONS } from '../alerts/alert.ts';
import type { AlertRecord } from '../domain/alert.ts';
import { askEnvironment, type CommandContext, defineCommand, say } from './index-helpers.ts';

/** Open alerts a new subscription posts as cards; more are summed up in its answer. */
const SHOWN_AT_ONCE = 5;

export const subscribeCommand = defineCommand<'subscribe'>({
  kind: 'subscribe',
  title: 'Subscribe to alerts',
  summary: 'post an environment’s site alerts (failed provisioning, stopped sites, expiring trials…) here',
  examples: ['subscribe this channel to prod alerts', 'subscribe to provisioning failures in dev'],
  permission: 'view',
  sideEffects: 'this conversation receives the environment’s alerts',
  environmentOf: (intent) => intent.environment,
  async run(ctx, intent) {
    if (!ctx.deps.subscriptions || !ctx.conversation)
      return say(
        'Alerts go to chat conversations: ask from the Teams or Slack channel that should get them.',
        {
          tone: 'warning',
        },
      );
    if (!intent.environment) return askEnvironment(ctx, 'subscribe to alerts', intent.unknownEnvironment);
    const env = ctx.deps.registry.get(intent.environment);
    // Looked at before subscribing, so what is open comes below the answer, each as its live card.
    const openNow = (await ctx.deps.alerts?.openFor(ctx.conversation, env.alias, [])) ?? [];
    const subscription = await ctx.deps.subscriptions.subscribe({
      surface: ctx.conversation.surface,
      conversationId: ctx.conversation.conversationId,
      environment: env.alias,
      conditions: intent.conditions,
      by: ctx.user.email ?? ctx.user.id,
    });
    const what =
      subscription.conditions.length === 0
        ? 'every alert'
        : subscription.conditions.map((c) => ALERT_CONDITIONS[c]?.label ?? c).join(', ');
    // What is open already is shown at once (a long list is summed up).
    const open = openNow.filter(
      (a) => subscription.conditions.length === 0 || subscription.conditions.includes(a.condition),
    );
    const shown = open.slice(0, SHOWN_AT_ONCE);
    const rest = open.slice(SHOWN_AT_ONCE);
    const now =
      open.length === 0
        ? ' Nothing is open there now.'
        : ` ${open.length} ${open.length === 1 ? 'is' : 'are'} open now${rest.length ? `; the ${shown.length} newest below, and "alerts" lists them all` : ', below'}.`;
    return [
      ...say(
        `This conversation now gets ${what} for ${env.alias}.${now} Say "unsubscribe from ${env.alias} alerts" to stop.`,
        { title: 'Subscribed' },
      ),
      ...shown.flatMap((a) => {
        const view = ctx.deps.alerts?.current(a.id);
        return view ? [{ view, trackAlert: a.id }] : [];
      }),
    ];
  },
});

/** `unsubscribe [from prod alerts]`. */
export const unsubscribeCommand = defineCommand<'unsubscribe'>({
  kind: 'unsubscribe',
  title: 'Unsubscribe from alerts',
  summary: 'stop posting alerts here (for one environment or all)',
  examples: ['unsubscribe from prod alerts', 'unsubscribe'],
  permission: 'view',
  sideEffects: 'this conversation stops receiving alerts',
  environmentOf: (intent) => intent.environment,
  async run(ctx, intent) {
    if (!ctx.deps.subscriptions || !ctx.conversation)
      return say('Alerts go to chat conversations: ask from the channel that gets them.', {
        tone: 'warning',
      });
    const env = intent.environment ? ctx.deps.registry.get(intent.environment).alias : undefined;
    const removed = await ctx.deps.subscriptions.unsubscribe(
      ctx.conversation.surface,
      ctx.conversation.conversationId,
      env,
    );
    return removed === 0
      ? say(`This conversation had no alert subscription${env ? ` for ${env}` : ''}.`, {
          suggestions: ['alerts'],
        })
      : say(`Done: no more ${env ?? 'PortalOps'} alerts here.`, { title: 'Unsubscribed' });
  },
});

const WHEN = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** One line of the open-alerts list. */
function alertLine(a: AlertRecord): string {
  const what = ALERT_CONDITIONS[a.condition]?.label ?? a.condition;
  const where = a.subdomain ? `${a.subdomain} in ${a.environment}` : a.environment;
  const state =
    a.state === 'open' ? '' : ` (${a.state}${a.actions.length ? ` by ${a.actions.at(-1)?.by}` : ''})`;
  return `• ${what[0]?.toUpperCase()}${what.slice(1)}: ${where}, since ${WHEN(a.detectedAt)}${state}`;
}

/** The environments whose alerts the person may see. */
function visibleEnvironments(ctx: CommandContext): string[] {
  return ctx.deps.registry.entries
    .map((e) => e.alias)
    .filter((env) => ctx.deps.policy.can(ctx.user, 'view', env).allowed);
}

/** `alerts`: the open alerts (in the environments the asker may see) and this conversation's subscriptions. */
export const alertsCommand = defineCommand<'alerts'>({
  kind: 'alerts',
  title: 'Alerts',
  summary: 'the alerts open now, and which alerts this conversation gets',
  examples: ['alerts', 'what alerts are open'],
  permission: 'view',
  async run(ctx) {
    const environments = visibleEnvironments(ctx);
    const alerts = ctx.deps.alerts;
    if (alerts) for (const env of environments) await alerts.checkNow(env);
    const open = alerts?.openAlerts(environments) ?? [];
    const mine =
      ctx.deps.subscriptions && ctx.conversation
        ? ctx.deps.subscriptions.of(ctx.conversation.surface, ctx.conversation.conversationId)
        : [];
    const subscriptions = mine.map(
      (s) =>
        `${s.environment}: ${s.conditions.length === 0 ? 'every alert' : s.conditions.map((c) => ALERT_CONDITIONS[c]?.label ?? c).join(', ')} (since ${s.at.slice(0, 10)}, by ${s.by})`,
    );
    const lines = [
      open.length === 0
        ? `No alert is open in ${environments.join(', ') || 'any environment you can see'}.`
        : `${open.length} open:\n${open.map(alertLine).join('\n')}`,
      subscriptions.length === 0
        ? 'This conversation gets no alerts yet.'
        : `Posted here:\n${subscriptions.join('\n')}`,
    ];
    return say(lines.join('\n\n'), {
      title: 'Alerts',
      ...(subscriptions.length === 0
        ? { suggestions: [`subscribe this channel to ${environments[0] ?? 'prod'} alerts`] }
        : {}),
    });
  },
});
