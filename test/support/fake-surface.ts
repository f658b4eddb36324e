import type { ChatSurface, ConversationRef } from '../../src/chat/core/surface.ts';
import type { View } from '../../src/views/view.ts';

/** A chat surface that records what the bot posts and edits. */
export class FakeSurface implements ChatSurface {
  readonly name = 'fake';
  readonly posts: { conversationId: string; messageId: string; view: View }[] = [];
  readonly updates: { conversationId: string; messageId: string; view: View; at: number }[] = [];
  private next = 1;

  async post(conversation: ConversationRef, view: View): Promise<string> {
    const messageId = `m-${this.next++}`;
    this.posts.push({ conversationId: conversation.conversationId, messageId, view });
    return messageId;
  }

  async update(conversation: ConversationRef, messageId: string, view: View): Promise<void> {
    this.updates.push({ conversationId: conversation.conversationId, messageId, view, at: Date.now() });
  }

  /** The latest view of a message: its last update, or what was posted. */
  current(messageId: string): View | undefined {
    return (
      this.updates.filter((u) => u.messageId === messageId).at(-1)?.view ??
      this.posts.find((p) => p.messageId === messageId)?.view
    );
  }

  last<T extends View['type']>(type: T): { messageId: string; view: Extract<View, { type: T }> } | undefined {
    const found = [...this.posts].reverse().find((p) => p.view.type === type);
    return found ? { messageId: found.messageId, view: found.view as Extract<View, { type: T }> } : undefined;
  }
}
