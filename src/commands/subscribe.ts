/** `subscribe this channel to prod alerts`: the conversation hears an environment's alerts. */
import { ALERT_CONDITIONS } from '../alerts/alert.ts';
import { askEnvironment, defineCommand, say } from './index-helpers.ts';

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
    if (!intent.environment) return askEnvironment(ctx, 'subscribe to alerts');
    const env = ctx.deps.registry.get(intent.environment);
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
    return say(
      `This conversation now gets ${what} for ${env.alias}. Say "unsubscribe from ${env.alias} alerts" to stop.`,
      {
        title: 'Subscribed',
      },
    );
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

/** `alerts`: this conversation's subscriptions and the open alerts they cover. */
export const alertsCommand = defineCommand<'alerts'>({
  kind: 'alerts',
  title: 'Alerts',
  summary: 'which alerts this conversation gets',
  examples: ['alerts'],
  permission: 'view',
  async run(ctx) {
    if (!ctx.deps.subscriptions || !ctx.conversation)
      return say('Alerts go to chat conversations: ask from a Teams or Slack channel.', { tone: 'warning' });
    const mine = ctx.deps.subscriptions.of(ctx.conversation.surface, ctx.conversation.conversationId);
    if (mine.length === 0)
      return say('This conversation gets no alerts yet.', {
        suggestions: ['subscribe this channel to prod alerts'],
      });
    const lines = mine.map(
      (s) =>
        `${s.environment}: ${s.conditions.length === 0 ? 'every alert' : s.conditions.map((c) => ALERT_CONDITIONS[c]?.label ?? c).join(', ')} (since ${s.at.slice(0, 10)}, by ${s.by})`,
    );
    return say(lines.join('\n'), { title: 'Alerts posted here' });
  },
});
