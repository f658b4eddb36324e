/**
 * The alert card's own buttons: acknowledge and snooze. Registered with the chat core by the
 * alert center's owner (the fixes on an alert card are the commands' buttons).
 */

import { type CardClick, defineCardAction } from '../commands/card-action.ts';
import { PortalOpsError } from '../domain/errors.ts';
import type { AlertCenter } from './alert-center.ts';

/** Acknowledge and snooze, acting on `alerts`. */
export function alertActions(alerts: AlertCenter) {
  const current = (click: CardClick) => {
    const stored = click.data.alertId ? alerts.record(click.data.alertId) : undefined;
    if (!stored || !click.ctx.deps.policy.can(click.ctx.user, 'view', stored.environment).allowed)
      return undefined;
    return alerts.current(stored.id);
  };
  return defineCardAction({
    verbs: ['alert.acknowledge', 'alert.snooze'],
    current,
    async handle(click) {
      const stored = alerts.record(click.data.alertId ?? '');
      const view = stored && alerts.current(stored.id);
      if (!stored || !view) throw new PortalOpsError('not_found', 'That alert no longer exists.');
      // The alert's own environment, never one the button says: every alert has one to check.
      click.access.require(click.ctx.user, 'operate', stored.environment);
      const by = click.ctx.user.displayName ?? click.ctx.user.email ?? click.ctx.user.id;
      const updated =
        click.verb === 'alert.acknowledge'
          ? await alerts.acknowledge(stored.id, by)
          : await alerts.snooze(stored.id, by);
      return { replace: updated ?? view, replies: [] };
    },
  });
}
