/**
 * Teams as a chat surface. Replies during a turn go through that turn; everything else (job
 * progress, approvals, alerts, anything after a restart) is sent proactively from the stored
 * conversation reference. Progress edits the job's message in place with `updateActivity`.
 */
import type { Activity, ConversationReference } from '@microsoft/agents-activity';
import type { CloudAdapter, TurnContext } from '@microsoft/agents-hosting';
import type { View } from '../../views/view.ts';
import type { ChatSurface, ConversationRef } from '../core/surface.ts';
import { DEFAULT_CONNECTOR_MAX_WAIT_MS, withConnectorRetry } from './connector-retry.ts';
import { RenderedViews } from './rendered-views.ts';
import {
  type CardViewer,
  cardActivity,
  TEAMS_LIMITS,
  teamsCard,
  teamsCardContent,
  teamsPayloadBytes,
  viewSummary,
} from './teams-activity.ts';
import type { TeamsDirectory } from './teams-directory.ts';
import { sendInTurn, updateInTurn } from './turn-send.ts';

/** The Teams surface. Conversation ids are Teams conversation ids; message ids are activity ids. */
export class TeamsSurface implements ChatSurface {
  readonly name = 'teams';
  /** Turns still in progress (a conversation handle may outlive its turn and must not use it then). */
  private readonly active = new WeakSet<TurnContext>();
  /** What was posted through each turn, so an invoke can answer with it. */
  private readonly postedInTurn = new WeakMap<TurnContext, View[]>();
  /** Messages rendered to measure them, taken by the post that follows. */
  private readonly rendered = new RenderedViews<Partial<Activity>>();

  constructor(
    private readonly adapter: CloudAdapter,
    /** The bot's app id, or an identity without audience in local (anonymous) mode. */
    private readonly botIdentity: string | { name: string },
    private readonly directory: TeamsDirectory,
    /**
     * Whether cards may differ per person (Universal Actions `refresh`). Teams does it; the
     * Agents Playground does not, so in local mode everyone gets the same card.
     */
    private readonly userSpecificViews = true,
    /** Longest wait on a throttled Bot Connector call (`PORTALOPS_HTTP_MAX_BACKOFF_MS`). */
    private readonly connectorMaxWaitMs = DEFAULT_CONNECTOR_MAX_WAIT_MS,
  ) {}

  /** The views posted through a turn so far. */
  postedDuring(context: TurnContext): readonly View[] {
    return this.postedInTurn.get(context) ?? [];
  }

  /** Runs `work` with `context` as a live turn: replies to its conversation go through it. */
  async withinTurn<T>(context: TurnContext, work: () => Promise<T>): Promise<T> {
    this.active.add(context);
    this.postedInTurn.set(context, []);
    try {
      return await work();
    } finally {
      this.active.delete(context);
    }
  }

  /** The card of a view as a given person sees it (approvers get the decision buttons). */
  card(view: View, viewer?: CardViewer): Record<string, unknown> {
    return teamsCard(view, { approverTeamsIds: this.approverTeamsIds(view), ...(viewer ? { viewer } : {}) });
  }

  /** The Teams ids whose version of the card has the decision buttons (approval requests). */
  private approverTeamsIds(view: View): string[] {
    return view.type === 'approval-request' && this.userSpecificViews
      ? this.directory.teamsIdsOf(view.approverIds)
      : [];
  }

  /** The message showing a view, and its rendering from a size check just before, if any. */
  private message(view: View, measuring = false): Partial<Activity> {
    const approverTeamsIds = this.approverTeamsIds(view);
    const render = () => cardActivity(teamsCardContent(view, { approverTeamsIds }), viewSummary(view));
    const key = approverTeamsIds.join(' ');
    return measuring ? this.rendered.measure(view, key, render) : this.rendered.take(view, key, render);
  }

  /** Whether the view's message stays under Teams' message size limit. */
  fits(view: View): boolean {
    return teamsPayloadBytes(this.message(view, true)) <= TEAMS_LIMITS.messageBytes;
  }

  async post(conversation: ConversationRef, view: View): Promise<string> {
    const activity = this.message(view);
    const live = conversation.live as TurnContext | undefined;
    if (live) this.postedInTurn.get(live)?.push(view);
    const sent = await this.send(conversation, (context) => sendInTurn(this.adapter, context, activity));
    return sent?.id ?? '';
  }

  async update(conversation: ConversationRef, messageId: string, view: View): Promise<void> {
    const activity = { ...this.message(view), id: messageId };
    await this.send(conversation, (context) => updateInTurn(this.adapter, context, activity));
  }

  private async send<T>(
    conversation: ConversationRef,
    act: (context: TurnContext) => Promise<T>,
  ): Promise<T> {
    const live = conversation.live as TurnContext | undefined;
    if (live && this.active.has(live) && live.activity.conversation?.id === conversation.conversationId) {
      return withConnectorRetry(() => act(live), this.connectorMaxWaitMs);
    }
    const reference = conversation.reference as Partial<ConversationReference> | undefined;
    if (!reference?.serviceUrl) {
      throw new Error(
        `Teams conversation ${conversation.conversationId} has no stored reference; it needs a message from it first.`,
      );
    }
    let result: T | undefined;
    await this.adapter.continueConversation(
      this.botIdentity as string,
      reference as ConversationReference,
      async (context) => {
        result = await withConnectorRetry(() => act(context), this.connectorMaxWaitMs);
      },
    );
    return result as T;
  }
}
