/**
 * The Teams bot on the Agents SDK's activity handler: messages go to the chat core, card
 * clicks (`Action.Execute`, invoke `adaptiveCard/action`) are answered with the card that
 * replaces the clicked one while the work goes on in the engine.
 */
import {
  ActivityHandler,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type CloudAdapter,
  type TurnContext,
} from '@microsoft/agents-hosting';
import type { InstallPlace } from '../../commands/welcome.ts';
import type { Logger } from '../../logging/logger.ts';
import type { Identity } from '../../policy/policy.ts';
import type { Store } from '../../storage/store.ts';
import type { ActionVerb } from '../../views/view.ts';
import type { ChatCore } from '../core/chat-core.ts';
import { handleOnce } from '../core/handle-once.ts';
import type { ConversationRef } from '../core/surface.ts';
import type { LocalPersonas } from './local-personas.ts';
import {
  cardInvokeResponse,
  isAddressedToBot,
  messageInvokeResponse,
  messageText,
  storableReference,
} from './teams-activity.ts';
import type { TeamsDirectory } from './teams-directory.ts';
import type { TeamsSurface } from './teams-surface.ts';

/** What the bot needs. */
export interface TeamsBotDeps {
  core: ChatCore;
  surface: TeamsSurface;
  directory: TeamsDirectory;
  adapter: CloudAdapter;
  logger: Logger;
  store: Store;
  /** "act as <person>" (answered in local mode, refused with Teams credentials). */
  personas: LocalPersonas;
}

/** Where a conversation is, from its `conversationType` (`personal`, `groupChat`, `channel`). */
function placeOf(context: TurnContext): InstallPlace {
  const type = context.activity.conversation?.conversationType;
  return type === 'personal' ? 'personal' : type === 'groupChat' ? 'group' : 'channel';
}

function conversationOf(context: TurnContext): ConversationRef {
  return {
    surface: 'teams',
    conversationId: context.activity.conversation?.id ?? '',
    reference: storableReference(context.activity.getConversationReference()),
    live: context,
  };
}

/** The PortalOps Teams bot. */
export class TeamsBot extends ActivityHandler {
  constructor(private readonly deps: TeamsBotDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.message(context);
      await next();
    });
    // Installing the bot in a team sends both a conversationUpdate (the bot among membersAdded)
    // and an installationUpdate "add"; the core greets once per conversation.
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if ((context.activity.membersAdded ?? []).some((m) => m.id === botId)) await this.installed(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.installed(context);
      await next();
    });
    // Removing the bot sends an installationUpdate "remove" (and, in a team, a conversationUpdate
    // with the bot among membersRemoved): its next installation is greeted again.
    this.onInstallationUpdateRemove(async (context, next) => {
      await this.deps.core.handleUninstall(conversationOf(context));
      await next();
    });
    this.onMembersRemoved(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if ((context.activity.membersRemoved ?? []).some((m) => m.id === botId))
        await this.deps.core.handleUninstall(conversationOf(context));
      await next();
    });
  }

  /** Who sent the turn's activity, as policy sees them (in local mode, whoever they act as). */
  private async who(context: TurnContext): Promise<Identity> {
    const sender = await this.deps.directory.identify(context, this.deps.adapter.ConnectorClientKey);
    return this.deps.personas.apply(sender);
  }

  private async installed(context: TurnContext): Promise<void> {
    const user = await this.who(context);
    const note = this.deps.personas.welcomeNote();
    await this.deps.surface.withinTurn(context, () =>
      this.deps.core.handleInstall({
        conversation: conversationOf(context),
        user,
        place: placeOf(context),
        ...(note ? { note } : {}),
      }),
    );
  }

  /** "act as <person>": answered here, never parsed as a request. */
  private async actAs(context: TurnContext, eventId: string, text: string): Promise<void> {
    const sender = await this.deps.directory.identify(context, this.deps.adapter.ConnectorClientKey);
    await handleOnce(
      this.deps.store,
      `teams:msg:${eventId}`,
      undefined,
      () =>
        this.deps.surface.withinTurn(context, async () => {
          const answer = this.deps.personas.actAs(text, sender);
          await this.deps.core.post(conversationOf(context), [{ view: { type: 'message', ...answer } }]);
        }),
      () => undefined,
    );
  }

  private async message(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (!isAddressedToBot(activity)) return;
    const text = messageText(activity);
    if (!text) return;
    const eventId = activity.id ?? `${activity.conversation?.id}:${activity.timestamp}`;
    if (this.deps.personas.isActAs(text)) return this.actAs(context, eventId, text);
    const user = await this.who(context);
    await this.deps.surface.withinTurn(context, () =>
      this.deps.core.handleMessage({
        eventId,
        conversation: conversationOf(context),
        user,
        text,
      }),
    );
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const { verb, data } = invokeValue.action;
    // Verbs are registered with the core by the commands and features that own them.
    if (!verb || !(verb === 'chat.say' || this.deps.core.knowsVerb(verb)))
      return messageInvokeResponse('That button is not known to PortalOps.') as never;
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries((data ?? {}) as Record<string, unknown>)) {
      if (value !== undefined && value !== null) values[key] = String(value);
    }
    const user = await this.who(context);
    const activity = context.activity;
    const messageId = activity.replyToId;
    if (verb === 'chat.say') {
      // A next-step button: the clicker sends its text, as if typed; the card stays as it is.
      await this.deps.surface.withinTurn(context, () =>
        this.deps.core.handleMessage({
          eventId: activity.id ?? `${messageId}:${verb}:${JSON.stringify(values)}`,
          conversation: conversationOf(context),
          user,
          text: values.text ?? '',
        }),
      );
      return messageInvokeResponse(`Sent: ${values.text ?? ''}`) as never;
    }
    const replaced = await this.deps.surface.withinTurn(context, () =>
      this.deps.core.handleAction({
        // Teams gives every click a new activity id and repeats a delivery with the same one.
        eventId: activity.id ?? `${messageId}:${verb}:${JSON.stringify(values)}`,
        conversation: conversationOf(context),
        user,
        ...(messageId ? { messageId } : {}),
        verb: verb as ActionVerb,
        data: values,
        inputs: values,
      }),
    );
    if (!replaced) {
      // A refused click leaves the card as it is; the toast says why instead of "Done".
      const refusal = this.deps.surface
        .postedDuring(context)
        .find((v): v is Extract<typeof v, { type: 'message' }> => v.type === 'message' && v.tone === 'error');
      return messageInvokeResponse(refusal ? refusal.text : 'Done.') as never;
    }
    const viewer = { id: user.id, ...(user.email ? { email: user.email } : {}) };
    return cardInvokeResponse(this.deps.surface.card(replaced, viewer)) as AdaptiveCardInvokeResponse;
  }
}
