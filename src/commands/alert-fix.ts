/**
 * What a fix started from a card shares: the site a site-level button acts on, and what the
 * card it came from becomes. From an alert, the alert card notes who did what and follows the
 * job (so no second card shows it); from any other card that names a site (a status card),
 * the clicked card becomes the job's card.
 */
import { jobView } from '../views/job-views.ts';
import type { Button, View } from '../views/view.ts';
import { cantAct } from './card-access.ts';
import type { ActionOutcome, CardClick } from './card-action.ts';
import type { Reply } from './command.ts';

/** The site a click acts on, and the alert it came from (if any). */
export interface ClickedSite {
  site: { environment: string; site: string };
  alertId?: string;
}

/**
 * The site a site-level button acts on: the stored alert's when the click names an alert (what
 * the button says is ignored), else the one the button names, which is then acted on and
 * authorized exactly as if it had been typed (the role is checked in that environment).
 */
export function siteOfClick(click: CardClick): ClickedSite {
  const { data } = click;
  if (data.alertId) {
    const alert = click.access.alertFor(click.ctx.deps.alerts?.record(data.alertId), {});
    if (!alert.subdomain) throw cantAct('the alert is not about a site');
    return { site: { environment: alert.environment, site: alert.subdomain }, alertId: alert.id };
  }
  return { site: { environment: data.environment ?? '', site: data.site ?? '' } };
}

/**
 * The outcome of a fix: `replies` are what the command answered; the job it started (the tracked
 * reply, or `jobId`) takes over the clicked card. From an alert the alert card follows the job;
 * else, when the surface names the clicked message, that message becomes the job's card.
 */
export async function fixOutcome(
  click: CardClick,
  what: string,
  replies: Reply[],
  options: { alertId?: string; jobId?: string } = {},
): Promise<ActionOutcome> {
  const started = options.jobId ?? replies.find((r) => r.trackJob)?.trackJob;
  if (!started) return { replies };
  const others = replies.filter((r) => r.trackJob !== started);
  const { ctx } = click;
  const alerts = ctx.deps.alerts;
  if (options.alertId && alerts) {
    const by = ctx.user.displayName ?? ctx.user.email ?? ctx.user.id;
    const view = await alerts.startedJob(options.alertId, by, what, started);
    return { replies: others, ...(view ? { replace: view } : {}) };
  }
  const job = ctx.deps.engine.get(started);
  if (!job || !click.messageId || !ctx.conversation) return { replies };
  await ctx.deps.engine.attachMessage(started, {
    surface: ctx.conversation.surface,
    conversationId: ctx.conversation.conversationId,
    messageId: click.messageId,
  });
  return { replace: jobView(job), replies: others };
}

/**
 * A fix that asks for the typed confirmation first: the clicked card becomes the confirmation
 * (so the card stays one card), its buttons carrying the alert it came from; once confirmed it
 * becomes the job's card, or the alert's again following the job. Undefined when the command
 * asked nothing.
 */
export async function confirmationInPlace(
  click: CardClick,
  replies: Reply[],
  alertId: string | undefined,
): Promise<ActionOutcome | undefined> {
  const asked = replies.find((r) => r.view.type === 'confirmation' && r.trackApproval);
  if (asked?.view.type !== 'confirmation' || !click.messageId || !click.ctx.conversation) return undefined;
  await click.ctx.deps.approvals.attachMessage(asked.trackApproval?.id ?? '', {
    surface: click.ctx.conversation.surface,
    conversationId: click.ctx.conversation.conversationId,
    messageId: click.messageId,
    role: 'confirmation',
  });
  const withAlert = (b: Button): Button => (alertId ? { ...b, data: { ...b.data, alertId } } : b);
  const view: View = {
    ...asked.view,
    confirm: withAlert(asked.view.confirm),
    cancel: withAlert(asked.view.cancel),
  };
  return { replace: view, replies: replies.filter((r) => r !== asked) };
}
