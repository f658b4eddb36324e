/**
 * The contract between the chat core and a chat surface (Teams, Slack, terminal): neutral
 * inbound events in, views out. Surfaces translate; the core decides.
 */
import type { Identity } from '../../policy/policy.ts';
import type { ActionVerb, View } from '../../views/view.ts';

/** Where to answer: a conversation on a surface (with what the surface needs to reach it later). */
export interface ConversationRef {
  surface: string;
  conversationId: string;
  /** Surface data for proactive messages (e.g. a Teams conversation reference). No secrets. */
  reference?: Record<string, unknown>;
  /**
   * The surface's handle of the live request this conversation came in on (e.g. a Teams turn),
   * so replies can go through it. Transient: never stored.
   */
  live?: unknown;
}

/** A message someone sent to the bot. */
export interface InboundMessage {
  /** The platform's id of this delivery; repeats of it take effect once. */
  eventId: string;
  conversation: ConversationRef;
  user: Identity;
  text: string;
}

/** A button someone clicked on a card. */
export interface InboundAction {
  eventId: string;
  conversation: ConversationRef;
  user: Identity;
  /** The message the card is in, to update it. */
  messageId?: string;
  verb: ActionVerb;
  data: Record<string, string>;
  /** Values of the card's inputs. */
  inputs: Record<string, string>;
}

/** A chat surface the core can post to. */
export interface ChatSurface {
  readonly name: string;
  /** Posts a view; resolves with the id of the new message. */
  post(conversation: ConversationRef, view: View): Promise<string>;
  /** Replaces a posted message with a view. */
  update(conversation: ConversationRef, messageId: string, view: View): Promise<void>;
  /**
   * Whether the platform takes this view as one message (block counts, byte size). Long lists
   * that do not fit are shown a page at a time. Absent: everything fits.
   */
  fits?(view: View): boolean;
}
