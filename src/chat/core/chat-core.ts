/**
 * The bot's brain, the same for every surface: an inbound message or card click is taken at
 * most once, parsed, authorized, handed to its command, and answered with views.
 */

import type { AlertCenter } from '../../alerts/alert-center.ts';
import {
  approvalView,
  confirmRequest,
  decideRequest,
  type FlowOutcome,
  withdrawRequest,
} from '../../commands/approval-flow.ts';
import { provisionForm } from '../../commands/ask.ts';
import type { CommandContext, CommandDeps, Reply } from '../../commands/command.ts';
import { commandFor } from '../../commands/registry.ts';
import { type InstallPlace, welcomeView } from '../../commands/welcome.ts';
import { isPortalOpsError, PortalOpsError } from '../../domain/errors.ts';
import { isTerminal } from '../../domain/job.ts';
import { guidanceFor } from '../../guidance/catalog.ts';
import type { Intent, SiteValues } from '../../intents/intent.ts';
import { parseIntent } from '../../intents/parser.ts';
import { type Logger, silentLogger } from '../../logging/logger.ts';
import type { Approval } from '../../policy/approvals.ts';
import type { Identity } from '../../policy/policy.ts';
import type { Store } from '../../storage/store.ts';
import { jobView } from '../../views/job-views.ts';
import type { View } from '../../views/view.ts';
import { CardAccess, cantAct } from './card-access.ts';
import { CardStates } from './card-state.ts';
import { expectsForm } from './expects-form.ts';
import { handleOnce } from './handle-once.ts';
import { forgetInstall, onceForInstall } from './install-welcome.ts';
import type { ChatSurface, ConversationRef, InboundAction, InboundMessage } from './surface.ts';
import { type Fits, ViewPager } from './view-pager.ts';

/** Options of {@link ChatCore}. */
export interface ChatCoreOptions {
  deps: CommandDeps;
  store: Store;
  logger?: Logger;
  /** How long event ids are remembered for de-duplication. Default 24 h. */
  dedupeTtlMs?: number;
}

/** Handles what people send, on any surface. */
export class ChatCore {
  private readonly surfaces = new Map<string, ChatSurface>();
  private readonly logger: Logger;
  /** What cards refer to by a short id (kept lists, oversized button data, forms). */
  readonly cardStates: CardStates;
  private readonly pager: ViewPager;
  /** Card actions act on stored records, checked against the clicker's roles. */
  private readonly access: CardAccess;

  constructor(private readonly options: ChatCoreOptions) {
    this.logger = options.logger ?? silentLogger();
    this.cardStates = new CardStates(options.store, options.deps.now);
    this.pager = new ViewPager(this.cardStates);
    this.access = new CardAccess(options.deps);
  }

  private fitsOn(surfaceName: string): Fits {
    const surface = this.surfaces.get(surfaceName);
    return (view) => surface?.fits?.(view) ?? true;
  }

  /** Makes a surface reachable for replies and updates. */
  register(surface: ChatSurface): void {
    this.surfaces.set(surface.name, surface);
  }

  surface(name: string): ChatSurface | undefined {
    return this.surfaces.get(name);
  }

  private context(user: Identity, conversation?: ConversationRef): CommandContext {
    return {
      user,
      deps: this.options.deps,
      ...(conversation
        ? { conversation: { surface: conversation.surface, conversationId: conversation.conversationId } }
        : {}),
    };
  }

  private alerts: AlertCenter | undefined;

  /** Lets alert cards' buttons (acknowledge, snooze, fixes) reach the alert center. */
  attachAlerts(alerts: AlertCenter): void {
    this.alerts = alerts;
  }

  private async remember(conversation: ConversationRef, user: Identity): Promise<void> {
    const conversations = this.options.store.collection('conversations');
    const id = `${conversation.surface}:${conversation.conversationId}`;
    const now = this.options.deps.now();
    const stored = conversations.get(id);
    // A busy conversation is written again only when something changed or a minute went by.
    if (
      stored &&
      stored.lastUser === user.id &&
      JSON.stringify(stored.reference ?? null) === JSON.stringify(conversation.reference ?? null) &&
      now - Date.parse(String(stored.updatedAt)) < 60_000
    )
      return;
    await conversations.put({
      id,
      surface: conversation.surface,
      conversationId: conversation.conversationId,
      ...(conversation.reference ? { reference: conversation.reference } : {}),
      lastUser: user.id,
      updatedAt: new Date(now).toISOString(),
    });
  }

  /** The stored reference of a conversation (for proactive messages), or a bare one. */
  conversationRef(surface: string, conversationId: string): ConversationRef {
    const stored = this.options.store.collection('conversations').get(`${surface}:${conversationId}`);
    return {
      surface,
      conversationId,
      ...(stored?.reference ? { reference: stored.reference as Record<string, unknown> } : {}),
    };
  }

  /**
   * Posts replies (long lists as their first page) and links tracked ones to their job or
   * approval. A reply the platform refuses is logged and the others still go: the work behind
   * them (a job, an approval) goes on whether or not its message could be shown.
   */
  async post(conversation: ConversationRef, replies: Reply[]): Promise<void> {
    const surface = this.surfaces.get(conversation.surface);
    if (!surface) throw new Error(`No chat surface "${conversation.surface}" is registered.`);
    const fits = this.fitsOn(conversation.surface);
    for (const reply of replies) {
      let messageId: string;
      try {
        messageId = await surface.post(conversation, await this.pager.show(reply.view, conversation, fits));
      } catch (error) {
        this.logger.warn(
          { err: error, surface: conversation.surface, jobId: reply.trackJob },
          'could not post a reply',
        );
        continue;
      }
      const link = { surface: conversation.surface, conversationId: conversation.conversationId, messageId };
      if (reply.trackJob) await this.options.deps.engine.attachMessage(reply.trackJob, link);
      if (reply.trackApproval)
        await this.options.deps.approvals.attachMessage(reply.trackApproval.id, {
          ...link,
          role: reply.trackApproval.role,
        });
    }
  }

  private errorReplies(error: unknown): Reply[] {
    if (!isPortalOpsError(error)) {
      this.logger.error({ err: error }, 'command failed unexpectedly');
      return [
        {
          view: {
            type: 'message',
            text: 'Something went wrong on my side. Try again, and tell your PortalOps admins if it persists.',
            tone: 'error',
          },
        },
      ];
    }
    const guidance = guidanceFor(error.code);
    const suggestions = Array.isArray(error.details.suggestions)
      ? (error.details.suggestions as string[])
      : [];
    return [
      {
        view: {
          type: 'message',
          title: guidance.title,
          text: `${error.message}${guidance.steps[0] && !error.message.includes('?') ? ` ${guidance.steps[0]}` : ''}`,
          tone: 'error',
          ...(suggestions.length ? { suggestions } : {}),
        },
      },
    ];
  }

  /** Runs an intent for a user: permission check, then the command. */
  private async runIntent(user: Identity, intent: Intent, conversation?: ConversationRef): Promise<Reply[]> {
    const spec = commandFor(intent.kind);
    const ctx = this.context(user, conversation);
    const environment = spec.environmentOf(intent as never);
    if (environment) this.options.deps.registry.get(environment);
    const scopes = environment ? [environment] : this.options.deps.registry.entries.map((e) => e.alias);
    const decisions = scopes.map((env) => this.options.deps.policy.can(user, spec.permission, env));
    if (!decisions.some((d) => d.allowed)) {
      await this.options.store.appendAudit({
        actor: user.email ?? user.id,
        action: 'command.refused',
        subject: `command:${intent.kind}`,
        outcome: 'refused',
        details: { environment, reason: decisions[0]?.reason },
      });
      return [
        {
          view: {
            type: 'message',
            text: `${decisions[0]?.reason ?? 'You may not do that.'} Ask "why can't I ${intent.kind.replace(/-/g, ' ')}" to see who can.`,
            tone: 'error',
          },
        },
      ];
    }
    return spec.run(ctx, intent as never);
  }

  /** Whether a message will be answered with a form (see {@link expectsForm}). */
  expectsForm(text: string): boolean {
    return expectsForm(
      text,
      this.options.deps.registry.entries.map((e) => e.alias),
    );
  }

  /** Handles a message; a repeated delivery of the same event does nothing. */
  async handleMessage(message: InboundMessage): Promise<void> {
    await handleOnce(
      this.options.store,
      `${message.conversation.surface}:msg:${message.eventId}`,
      this.options.dedupeTtlMs,
      () => this.answerMessage(message),
      () => undefined,
    );
  }

  private async answerMessage(message: InboundMessage): Promise<void> {
    await this.remember(message.conversation, message.user);
    const intent = parseIntent(message.text, {
      environments: this.options.deps.registry.entries.map((e) => e.alias),
    });
    let replies: Reply[];
    if (intent.kind === 'unknown') {
      replies = [
        { view: { type: 'message', text: intent.message, suggestions: intent.suggestions, tone: 'warning' } },
      ];
    } else {
      try {
        replies = await this.runIntent(message.user, intent, message.conversation);
      } catch (error) {
        replies = this.errorReplies(error);
      }
    }
    await this.post(message.conversation, replies);
  }

  /** The current state of what a card shows (answer to stale and repeated clicks). */
  private currentView(action: InboundAction): View | undefined {
    if (action.verb === 'view.page') return this.pageView(action);
    const approvalId = action.data.approvalId;
    if (approvalId) {
      const approval = this.options.deps.approvals.get(approvalId);
      if (!approval) return undefined;
      if (approval.state === 'awaiting_confirmation') return undefined;
      // An id is all a click needs to name a record: show it only to who may see it.
      if (!this.access.maySee(action.user, { approval })) return undefined;
      return approvalView(approval, this.options.deps.policy.approversFor(approval.environment));
    }
    const job = action.data.jobId ? this.options.deps.engine.get(action.data.jobId) : undefined;
    return job && this.access.maySee(action.user, { job }) ? jobView(job) : undefined;
  }

  private async refuse(action: InboundAction, reason: string): Promise<void> {
    await this.options.store.appendAudit({
      actor: action.user.email ?? action.user.id,
      action: 'card.refused',
      subject: `card:${action.verb}`,
      outcome: 'refused',
      details: { ...action.data, reason },
    });
    await this.post(action.conversation, [{ view: { type: 'message', text: reason, tone: 'error' } }]);
  }

  /**
   * Handles a card click. Returns the view that replaces the clicked card (Teams answers the
   * invoke with it; other surfaces update the message), or undefined to leave it as it is.
   */
  async handleAction(inbound: InboundAction): Promise<View | undefined> {
    const action = this.withKeptData(inbound);
    if (!action) {
      await this.post(inbound.conversation, [
        {
          view: {
            type: 'message',
            text: 'That button’s details are no longer kept, so nothing was done. Ask again for a fresh card.',
            tone: 'warning',
          },
        },
      ]);
      return undefined;
    }
    return handleOnce(
      this.options.store,
      `${action.conversation.surface}:act:${action.eventId}`,
      this.options.dedupeTtlMs,
      () => this.answerAction(action),
      () => this.currentView(action),
    );
  }

  private async answerAction(action: InboundAction): Promise<View | undefined> {
    await this.remember(action.conversation, action.user);
    const ctx = this.context(action.user, action.conversation);
    try {
      const outcome = await this.route(ctx, action);
      if (!outcome) return undefined;
      await this.post(action.conversation, outcome.replies);
      return outcome.replace;
    } catch (error) {
      if (isPortalOpsError(error) && error.code === 'forbidden') {
        await this.refuse(action, error.message);
        return undefined;
      }
      await this.post(action.conversation, this.errorReplies(error));
      return isPortalOpsError(error) && error.code === 'job_state_conflict'
        ? this.currentView(action)
        : undefined;
    }
  }

  /**
   * A click whose button data was too long for its platform carries `stateRef`, the id of the
   * data kept server side: the click takes effect with that data. Undefined when it is gone.
   */
  private withKeptData(action: InboundAction): InboundAction | undefined {
    const ref = action.data.stateRef;
    if (!ref) return action;
    const kept = this.cardStates.get<Record<string, string>>(
      ref,
      'button',
      `${action.conversation.surface}:${action.conversation.conversationId}`,
    );
    return kept ? { ...action, data: { ...kept } } : undefined;
  }

  /** The page a "Show more" / "Previous page" click asks for. */
  private pageView(action: InboundAction): View {
    return (
      this.pager.page(
        action.data.pageRef ?? '',
        Number(action.data.offset ?? 0),
        action.conversation,
        this.fitsOn(action.conversation.surface),
      ) ?? {
        type: 'message',
        text: 'This list is no longer kept. Ask again for a fresh one.',
        tone: 'warning',
      }
    );
  }

  private async route(ctx: CommandContext, action: InboundAction): Promise<FlowOutcome | undefined> {
    const { data, inputs } = action;
    const approvals = this.options.deps.approvals;
    switch (action.verb) {
      case 'request.confirm':
      case 'request.cancel':
      case 'approval.approve':
      case 'approval.reject': {
        const approval = approvals.get(data.approvalId ?? '');
        if (!approval) throw new PortalOpsError('not_found', 'That request no longer exists.');
        // The request's own checks (requester, approver role) decide; this keeps a forged id
        // from even showing the request to someone with no role where it applies.
        if (!this.access.maySee(ctx.user, { approval }))
          throw cantAct('it needs a role in the environment it belongs to');
        if (data.nonce !== approval.nonce)
          return { replace: this.currentView(action) ?? staleMessage(), replies: [] };
        if (action.verb === 'request.confirm')
          return confirmRequest(ctx, approval.id, inputs.confirmText ?? '');
        if (action.verb === 'request.cancel') return withdrawRequest(ctx, approval.id);
        return decideRequest(
          ctx,
          approval.id,
          action.verb === 'approval.approve' ? 'approve' : 'reject',
          inputs.reason,
        );
      }
      case 'job.cancel':
      case 'job.retry': {
        const { job } = this.access.job(data.jobId);
        if (!this.access.maySee(ctx.user, { job }))
          throw cantAct('it needs a role in the environment it belongs to');
        // A retry started from an alert marks that alert, so the alert must be about this job.
        const alertId = data.alertId
          ? this.access.alertFor(this.alerts?.record(data.alertId), { jobId: job.id }).id
          : undefined;
        const stale = action.verb === 'job.cancel' ? isTerminal(job) : job.state !== 'failed';
        if (stale) return { replace: jobView(job), replies: [] };
        const replies = await this.runIntent(ctx.user, {
          kind: action.verb === 'job.cancel' ? 'cancel' : 'retry',
          jobId: job.id,
        });
        return this.fromAlert(ctx, alertId, 'Retried the job', replies, job.id);
      }
      case 'site.restart-provisioning': {
        const where = this.siteOf(action);
        const replies = await this.runIntent(ctx.user, { kind: 'restart-provisioning', ...where.site });
        return this.fromAlert(ctx, where.alertId, 'Restarted provisioning', replies);
      }
      case 'site.retry-install': {
        const where = this.siteOf(action);
        const replies = await this.runIntent(ctx.user, { kind: 'retry-package-install', ...where.site });
        return this.fromAlert(ctx, where.alertId, 'Retried the package install', replies);
      }
      case 'alert.acknowledge':
      case 'alert.snooze': {
        const alerts = this.alerts;
        const stored = alerts?.record(data.alertId ?? '');
        const current = stored && alerts?.current(stored.id);
        if (!alerts || !stored || !current)
          throw new PortalOpsError('not_found', 'That alert no longer exists.');
        // The alert's own environment, never one the button says: every alert has one to check.
        this.access.require(ctx.user, 'operate', stored.environment);
        const by = ctx.user.displayName ?? ctx.user.email ?? ctx.user.id;
        const view =
          action.verb === 'alert.acknowledge'
            ? await alerts.acknowledge(stored.id, by)
            : await alerts.snooze(stored.id, by);
        return { replace: view ?? current, replies: [] };
      }
      case 'site.change-values': {
        if (data.jobId) {
          // The form is filled from the job's values only for the person who asked for it.
          const { job, environment } = this.access.job(data.jobId);
          if (!this.access.isRequester(ctx.user, job))
            throw cantAct('only the person who asked for that job can change its values');
          this.access.require(ctx.user, 'operate', environment);
          const values = job.params as SiteValues;
          return { replies: [{ view: await provisionForm(ctx, environment, values) }] };
        }
        const where = this.siteOf(action);
        this.access.requireIn(ctx.user, 'operate', where.site.environment);
        return {
          replies: [
            {
              view: await provisionForm(
                ctx,
                where.site.environment,
                {},
                { kind: 'change-and-restart', ...(where.site.site ? { site: where.site.site } : {}) },
              ),
            },
          ],
        };
      }
      case 'provision.submit': {
        const values: SiteValues = {
          ...(inputs.name ? { name: inputs.name } : {}),
          ...(inputs.subdomain ? { subdomain: inputs.subdomain } : {}),
          ...(inputs.templateId ? { templateId: inputs.templateId } : {}),
          ...(inputs.audience ? { audience: inputs.audience as SiteValues['audience'] & string } : {}),
          ...(inputs.languageLcid ? { languageLcid: Number(inputs.languageLcid) } : {}),
          ...(inputs.siteAdministrator ? { siteAdministrator: inputs.siteAdministrator } : {}),
        };
        const environment = inputs.environment;
        const intent: Intent =
          data.kind === 'change-and-restart'
            ? {
                kind: 'change-and-restart',
                ...(environment ? { environment } : {}),
                ...(data.site ? { site: data.site } : {}),
                changes: values,
              }
            : { kind: 'provision', ...(environment ? { environment } : {}), ...values };
        return { replies: await this.runIntent(ctx.user, intent) };
      }
      case 'view.page':
        return { replace: this.pageView(action), replies: [] };
      case 'refresh':
        return { replace: this.currentView(action) ?? staleMessage(), replies: [] };
    }
  }

  /**
   * The site a site-level button acts on: the stored alert's when the click names an alert (what
   * the button says is ignored), else the one the button names, which is then acted on and
   * authorized exactly as if it had been typed (the role is checked in that environment).
   */
  private siteOf(action: InboundAction): { site: { environment: string; site: string }; alertId?: string } {
    const { data } = action;
    if (data.alertId) {
      const alert = this.access.alertFor(this.alerts?.record(data.alertId), {});
      if (!alert.subdomain) throw cantAct('the alert is not about a site');
      return { site: { environment: alert.environment, site: alert.subdomain }, alertId: alert.id };
    }
    return { site: { environment: data.environment ?? '', site: data.site ?? '' } };
  }

  /**
   * A fix started from an alert card: the card notes who did what, then follows the job. The
   * job's own card is posted as usual.
   */
  private async fromAlert(
    ctx: CommandContext,
    alertId: string | undefined,
    what: string,
    replies: Reply[],
    jobId?: string,
  ): Promise<FlowOutcome> {
    const started = jobId ?? replies.find((r) => r.trackJob)?.trackJob;
    if (!alertId || !this.alerts || !started) return { replies };
    const by = ctx.user.displayName ?? ctx.user.email ?? ctx.user.id;
    const view = await this.alerts.startedJob(alertId, by, what, started);
    return { replies, ...(view ? { replace: view } : {}) };
  }

  /**
   * An unanswered request goes to the environment's admins: the conversations subscribed to the
   * environment's alerts get the approval card, and the request's own conversation is told who
   * it went to.
   */
  private async escalate(approval: Approval): Promise<void> {
    const policy = this.options.deps.policy;
    const requester = [approval.requester.id, approval.requester.email?.toLowerCase()];
    const admins = policy.adminsFor(approval.environment).filter((a) => !requester.includes(a.toLowerCase()));
    const view = approvalView(approval, policy.approversFor(approval.environment));
    const own = new Set(approval.messages.map((m) => `${m.surface}:${m.conversationId}`));
    for (const s of this.options.deps.subscriptions?.audience(approval.environment, 'job_failed') ?? []) {
      if (own.has(`${s.surface}:${s.conversationId}`)) continue;
      const ref = this.conversationRef(s.surface, s.conversationId);
      await this.post(ref, [
        {
          view: {
            type: 'message',
            title: 'Escalated request',
            text: `${approval.title} (${approval.id}) has waited since ${approval.createdAt.slice(0, 16).replace('T', ' ')} UTC for an approval. Admins of ${approval.environment}: ${admins.join(', ') || 'none named'}.`,
            tone: 'warning',
          },
        },
        { view, trackApproval: { id: approval.id, role: 'approval' } },
      ]);
    }
    for (const m of approval.messages.filter((x) => x.role === 'approval')) {
      await this.post(this.conversationRef(m.surface, m.conversationId), [
        {
          view: {
            type: 'message',
            text: `${approval.title} (${approval.id}) is still unanswered, so it went to the ${approval.environment} admins${admins.length ? ` (${admins.join(', ')})` : ''}.`,
            tone: 'warning',
          },
        },
      ]);
    }
    await this.options.store.appendAudit({
      actor: 'system',
      action: 'approval.escalated',
      subject: `approval:${approval.id}`,
      outcome: 'escalated',
      details: { admins },
    });
  }

  /**
   * Greets a conversation the bot was just added to, once per installation (see
   * install-welcome.ts), and remembers it for proactive messages.
   */
  async handleInstall(install: {
    conversation: ConversationRef;
    user: Identity;
    place?: InstallPlace;
  }): Promise<void> {
    const { conversation, user } = install;
    await onceForInstall(this.options.store, conversation, async () => {
      await this.remember(conversation, user);
      const environments = this.options.deps.registry.entries.map((e) => e.alias);
      const name = user.displayName?.split(' ')[0];
      await this.post(conversation, [{ view: welcomeView(install.place ?? 'channel', name, environments) }]);
    });
  }

  /** The bot was removed from a conversation: its next installation there is greeted again. */
  async handleUninstall(conversation: ConversationRef): Promise<void> {
    await forgetInstall(this.options.store, conversation);
  }

  /** Sends approval reminders and closes expired requests (run periodically). */
  async sweepApprovals(): Promise<void> {
    await this.cardStates.sweep();
    const { reminders, expired, escalations } = await this.options.deps.approvals.sweep();
    for (const approval of escalations) await this.escalate(approval);
    for (const approval of reminders) {
      for (const m of approval.messages.filter((x) => x.role === 'approval')) {
        await this.post(this.conversationRef(m.surface, m.conversationId), [
          {
            view: {
              type: 'message',
              text: `Reminder: ${approval.title} (${approval.id}) still needs approval and expires ${approval.expiresAt.slice(0, 16).replace('T', ' ')} UTC.`,
            },
          },
        ]);
      }
    }
    // Jobs of requests that expired (now, or earlier when someone clicked too late) give their site back.
    for (const approval of this.options.deps.approvals.list(
      (a) => a.state === 'expired' && Boolean(a.jobId),
    )) {
      if (this.options.deps.engine.get(approval.jobId!)?.state === 'awaiting_approval') {
        await this.options.deps.engine.cancel(approval.jobId!, 'system');
      }
    }
    for (const approval of expired) {
      for (const m of approval.messages) {
        const surface = this.surfaces.get(m.surface);
        const ref = this.conversationRef(m.surface, m.conversationId);
        if (m.role === 'approval') await surface?.update(ref, m.messageId, approvalView(approval, []));
        else
          await this.post(ref, [
            {
              view: {
                type: 'message',
                text: `Your request ${approval.title} (${approval.id}) expired before it was approved. Ask again if it is still needed.`,
                tone: 'warning',
              },
            },
          ]);
      }
    }
  }
}

function staleMessage(): View {
  return { type: 'message', text: 'This card is out of date; nothing was changed.', tone: 'warning' };
}
