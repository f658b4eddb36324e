/**
 * The bot's brain, the same for every surface: an inbound message or card click is taken at
 * most once, parsed, authorized, handed to its command, and answered with views.
 */

import { alertActions } from '../../alerts/alert-actions.ts';
import type { AlertCenter } from '../../alerts/alert-center.ts';
import { approvalView } from '../../commands/approval-flow.ts';
import { CardAccess } from '../../commands/card-access.ts';
import { type CardAction, CardActions, type CardClick, type CardUpdate } from '../../commands/card-action.ts';
import type { CommandContext, CommandDeps, Reply } from '../../commands/command.ts';
import { COMMAND_ACTIONS, commandFor } from '../../commands/registry.ts';
import { type InstallPlace, welcomeView } from '../../commands/welcome.ts';
import type { Approval } from '../../domain/approval.ts';
import { isPortalOpsError } from '../../domain/errors.ts';
import type { Identity } from '../../domain/identity.ts';
import { guidanceFor } from '../../guidance/catalog.ts';
import type { Intent } from '../../intents/intent.ts';
import { type Logger, silentLogger } from '../../logging/logger.ts';
import type { Store } from '../../storage/store.ts';
import type { View } from '../../views/view.ts';
import { CardStates } from './card-state.ts';
import { ConversationMemory } from './conversation-memory.ts';
import { formExpectedFor } from './expects-form.ts';
import { handleOnce } from './handle-once.ts';
import { forgetInstall, onceForInstall } from './install-welcome.ts';
import { IntentMemo } from './intent-memo.ts';
import { SiteCards } from './site-cards.ts';
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
  private access: CardAccess;
  /** The handlers of card buttons, by verb, registered by the commands and features that own them. */
  private readonly actions = new CardActions();
  /** What commands work with (the alert center joins once it is attached). */
  private deps: CommandDeps;
  /** Recent readings of messages (the same requests come again and again). */
  private readonly intents = new IntentMemo();
  private readonly conversations: ConversationMemory;

  constructor(private readonly options: ChatCoreOptions) {
    this.logger = options.logger ?? silentLogger();
    this.deps = options.deps;
    this.cardStates = new CardStates(options.store, options.deps.now);
    this.conversations = new ConversationMemory(options.store, options.deps.now);
    this.pager = new ViewPager(this.cardStates);
    this.access = new CardAccess(this.deps);
    this.actions.register(...COMMAND_ACTIONS);
    this.siteCards = new SiteCards({
      engine: this.deps.engine,
      cardStates: this.cardStates,
      environmentIdOf: (alias) => this.deps.registry.get(alias).environmentId,
      statusOf: (environment, site) =>
        commandFor('status').run(this.context({ id: 'portalops' }), { kind: 'status', environment, site }),
      surface: (name) => this.surfaces.get(name),
      conversation: (surface, id) => this.conversationRef(surface, id),
      takenOver: (card) => {
        const same = (m: { surface: string; conversationId: string; messageId: string }) =>
          m.surface === card.surface &&
          m.conversationId === card.conversationId &&
          m.messageId === card.messageId;
        return (
          this.deps.engine.list({}).some((j) => j.messages.some(same)) ||
          this.deps.approvals.list((a) => a.messages.some(same)).length > 0
        );
      },
      logger: this.logger,
    });
  }

  /** Status cards, shown again when a job on their site starts or ends. */
  private readonly siteCards: SiteCards;

  /** Registers the handlers of more card buttons (a feature's own, such as the alerts'). */
  registerActions(...actions: CardAction[]): void {
    this.actions.register(...actions);
  }

  /** Whether a button verb has a handler (surfaces refuse unknown verbs before anything else). */
  knowsVerb(verb: string): boolean {
    return verb === 'view.page' || verb === 'refresh' || this.actions.handlerFor(verb) !== undefined;
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
      deps: this.deps,
      ...(conversation
        ? { conversation: { surface: conversation.surface, conversationId: conversation.conversationId } }
        : {}),
    };
  }

  /**
   * Lets commands and buttons reach the alert center (open alerts, the fixes on alert cards) and
   * registers the alert card's own buttons (acknowledge, snooze).
   */
  attachAlerts(alerts: AlertCenter): void {
    this.deps = { ...this.deps, alerts };
    this.access = new CardAccess(this.deps);
    this.registerActions(alertActions(alerts));
  }

  /** The stored reference of a conversation (for proactive messages), or a bare one. */
  conversationRef(surface: string, conversationId: string): ConversationRef {
    return this.conversations.refOf(surface, conversationId);
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
      if (reply.trackJob) await this.deps.engine.attachMessage(reply.trackJob, link);
      if (reply.trackAlert) await this.deps.alerts?.attachMessage(reply.trackAlert, link);
      if (reply.trackSite) await this.siteCards.track(link, reply.trackSite);
      if (reply.trackApproval)
        await this.deps.approvals.attachMessage(reply.trackApproval.id, {
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
    if (environment) this.deps.registry.get(environment);
    const scopes = environment ? [environment] : this.deps.registry.entries.map((e) => e.alias);
    const decisions = scopes.map((env) => this.deps.policy.can(user, spec.permission, env));
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

  /** Whether a message will be answered with a form (see `expects-form.ts`). */
  expectsForm(text: string): boolean {
    // Read as the answer will read it, so the answer finds this reading in the memo.
    return formExpectedFor(this.intents.read(text, { environments: this.deps.registry.entries }));
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
    await this.conversations.remember(message.conversation);
    const intent = this.intents.read(message.text, {
      environments: this.deps.registry.entries,
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

  /** A click as its handler sees it. */
  private clickOf(action: InboundAction): CardClick {
    return {
      ctx: this.context(action.user, action.conversation),
      verb: action.verb,
      data: action.data,
      inputs: action.inputs,
      ...(action.messageId ? { messageId: action.messageId } : {}),
      access: this.access,
      run: (intent) => this.runIntent(action.user, intent, action.conversation),
    };
  }

  /** The current state of what a card shows (answer to stale and repeated clicks). */
  private currentView(action: InboundAction): View | undefined {
    if (action.verb === 'view.page') return this.pageView(action);
    return this.actions.current(this.clickOf(action));
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
    await this.conversations.remember(action.conversation);
    if (action.verb === 'view.page') return this.pageView(action);
    if (action.verb === 'refresh') return this.currentView(action) ?? staleMessage();
    const handler = this.actions.handlerFor(action.verb);
    if (!handler) {
      await this.post(action.conversation, [
        { view: { type: 'message', text: 'That button is not known to PortalOps.', tone: 'warning' } },
      ]);
      return undefined;
    }
    try {
      const outcome = await handler.handle(this.clickOf(action));
      if (!outcome) return undefined;
      await this.post(action.conversation, outcome.replies);
      await this.updateCards(action, outcome.updates ?? []);
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

  /** Brings other cards a click made out of date to their final state (the clicked one is replaced). */
  private async updateCards(action: InboundAction, updates: CardUpdate[]): Promise<void> {
    for (const u of updates) {
      const clicked =
        u.surface === action.conversation.surface &&
        u.conversationId === action.conversation.conversationId &&
        u.messageId === action.messageId;
      const surface = this.surfaces.get(u.surface);
      if (clicked || !surface) continue;
      try {
        await surface.update(this.conversationRef(u.surface, u.conversationId), u.messageId, u.view);
      } catch (error) {
        this.logger.warn({ err: error, surface: u.surface }, 'could not update a card');
      }
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

  /**
   * An unanswered request goes to the environment's admins: the conversations subscribed to the
   * environment's alerts get the approval card, and the request's own conversation is told who
   * it went to.
   */
  private async escalate(approval: Approval): Promise<void> {
    const policy = this.deps.policy;
    const requester = [approval.requester.id, approval.requester.email?.toLowerCase()];
    const admins = policy.adminsFor(approval.environment).filter((a) => !requester.includes(a.toLowerCase()));
    const view = approvalView(approval, policy.approversFor(approval.environment));
    const own = new Set(approval.messages.map((m) => `${m.surface}:${m.conversationId}`));
    for (const s of this.deps.subscriptions?.audience(approval.environment, 'job_failed') ?? []) {
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
    /** A sentence the surface adds (e.g. how to try it locally). */
    note?: string;
  }): Promise<void> {
    const { conversation, user } = install;
    await onceForInstall(this.options.store, conversation, async () => {
      await this.conversations.remember(conversation);
      const environments = this.deps.registry.entries.map((e) => e.alias);
      const name = user.displayName?.split(' ')[0];
      await this.post(conversation, [
        { view: welcomeView(install.place ?? 'channel', name, environments, install.note) },
      ]);
    });
  }

  /** The bot was removed from a conversation: its next installation there is greeted again. */
  async handleUninstall(conversation: ConversationRef): Promise<void> {
    await forgetInstall(this.options.store, conversation);
  }

  /** Sends approval reminders and closes expired requests (run periodically). */
  async sweepApprovals(): Promise<void> {
    await this.cardStates.sweep();
    const { reminders, expired, escalations } = await this.deps.approvals.sweep();
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
    for (const approval of this.deps.approvals.list((a) => a.state === 'expired' && Boolean(a.jobId))) {
      if (this.deps.engine.get(approval.jobId!)?.state === 'awaiting_approval') {
        await this.deps.engine.cancel(approval.jobId!, 'system');
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
