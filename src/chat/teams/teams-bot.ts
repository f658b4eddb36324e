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
import type { Logger } from '../../logging/logger.ts';
import type { ActionVerb } from '../../views/view.ts';
import type { ChatCore } from '../core/chat-core.ts';
import type { ConversationRef } from '../core/surface.ts';
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
}

const VERBS: ReadonlySet<string> = new Set<ActionVerb>([
  'request.confirm',
  'request.cancel',
  'approval.approve',
  'approval.reject',
  'job.cancel',
  'job.retry',
  'site.restart-provisioning',
  'site.change-values',
  'site.retry-install',
  'provision.submit',
  'alert.acknowledge',
  'alert.snooze',
  'view.page',
  'refresh',
]);

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
  }

  private async installed(context: TurnContext): Promise<void> {
    const user = await this.deps.directory.identify(context, this.deps.adapter.ConnectorClientKey);
    await this.deps.surface.withinTurn(context, () =>
      this.deps.core.handleInstall({ conversation: conversationOf(context), user }),
    );
  }

  private async message(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (!isAddressedToBot(activity)) return;
    const text = messageText(activity);
    if (!text) return;
    const user = await this.deps.directory.identify(context, this.deps.adapter.ConnectorClientKey);
    await this.deps.surface.withinTurn(context, () =>
      this.deps.core.handleMessage({
        eventId: activity.id ?? `${activity.conversation?.id}:${activity.timestamp}`,
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
    if (!verb || !VERBS.has(verb))
      return messageInvokeResponse('That button is not known to PortalOps.') as never;
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries((data ?? {}) as Record<string, unknown>)) {
      if (value !== undefined && value !== null) values[key] = String(value);
    }
    const user = await this.deps.directory.identify(context, this.deps.adapter.ConnectorClientKey);
    const activity = context.activity;
    const messageId = activity.replyToId;
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
