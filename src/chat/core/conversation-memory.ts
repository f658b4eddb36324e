/**
 * Where each conversation is, kept for proactive messages (job progress, approvals, alerts,
 * anything after a restart): its surface's conversation reference, stored in `conversations`.
 */
import { LRUCache } from 'lru-cache';
import type { Store } from '../../storage/store.ts';
import type { ConversationRef } from './surface.ts';

/** A busy conversation's record is written again at most this often when nothing changed. */
const REFRESH_MS = 60_000;

/** The stored references of conversations. */
export class ConversationMemory {
  /**
   * What this process last found or wrote per conversation (the reference as JSON, and when),
   * so a message in a busy conversation costs no store read.
   */
  private readonly known = new LRUCache<string, { reference: string; at: number }>({ max: 5_000 });

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  /**
   * Keeps the conversation's reference. Written again only when the reference changed or a
   * minute went by; compared with what this process last saw, so only a conversation it has not
   * seen yet is read from the store.
   */
  async remember(conversation: ConversationRef): Promise<void> {
    const id = `${conversation.surface}:${conversation.conversationId}`;
    const now = this.now();
    const reference = JSON.stringify(conversation.reference ?? null);
    const known = this.known.get(id) ?? this.readStored(id);
    if (known && known.reference === reference && now - known.at < REFRESH_MS) return;
    const conversations = this.store.collection('conversations');
    await conversations.put({
      id,
      surface: conversation.surface,
      conversationId: conversation.conversationId,
      ...(conversation.reference ? { reference: conversation.reference } : {}),
      updatedAt: new Date(now).toISOString(),
    });
    this.known.set(id, { reference, at: now });
  }

  /** What the store holds for a conversation this process has not seen yet. */
  private readStored(id: string): { reference: string; at: number } | undefined {
    const stored = this.store.collection('conversations').get(id);
    if (!stored) return undefined;
    const known = {
      reference: JSON.stringify(stored.reference ?? null),
      at: Date.parse(String(stored.updatedAt)),
    };
    this.known.set(id, known);
    return known;
  }

  /** The stored reference of a conversation, or a bare one. */
  refOf(surface: string, conversationId: string): ConversationRef {
    const stored = this.store.collection('conversations').get(`${surface}:${conversationId}`);
    return {
      surface,
      conversationId,
      ...(stored?.reference ? { reference: stored.reference as Record<string, unknown> } : {}),
    };
  }
}
