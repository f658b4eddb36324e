/** What a card's button refers to by a short id, as it is stored (see `chat/core/card-state.ts`). */

/** What a kept state is for. */
export type CardStateKind = 'pages' | 'button' | 'form' | 'site-card';

/** One kept state. */
export interface CardStateRecord {
  id: string;
  kind: CardStateKind;
  /** The conversation it was shown in (`surface:conversationId`); other conversations cannot use it. */
  conversation?: string;
  createdAt: string;
  expiresAt: string;
  payload: unknown;
}
