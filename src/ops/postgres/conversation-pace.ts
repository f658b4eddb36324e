/**
 * The per-conversation pace of card posts and edits, shared by every replica: each send
 * reserves the conversation's next free slot in PostgreSQL (one atomic upsert, on the database's
 * clock so replicas' clocks do not matter) and waits for it. However many replicas update cards
 * in one conversation, together they stay at one send per interval.
 *
 * Teams allows a bot 7 operations per second in one conversation but only 60 per 30 s
 * (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit); Slack
 * posts about one message per second per channel
 * (https://api.slack.com/apis/rate-limits#posting-messages). The default, one per 500 ms,
 * stays under the sustained Teams limit; Slack's own backoff (Retry-After) covers bursts.
 */
import type { Pool } from 'pg';

/** Default gap between two sends in one conversation. */
export const DEFAULT_CONVERSATION_INTERVAL_MS = 500;

/** Reserves send slots per conversation. */
export interface ConversationPace {
  /** Waits until this conversation may get its next card send (reserving it). */
  reserve(conversationKey: string): Promise<void>;
}

/** Slots reserved in `portalops.conversation_pace` (migration 002-ops.sql). */
export class PostgresConversationPace implements ConversationPace {
  constructor(
    private readonly pool: Pool,
    private readonly intervalMs = DEFAULT_CONVERSATION_INTERVAL_MS,
  ) {}

  /** How long to wait for the reserved slot, in ms (0: now). */
  async reserveSlot(conversationKey: string): Promise<number> {
    const { rows } = await this.pool.query<{ wait_ms: string }>(
      `INSERT INTO portalops.conversation_pace AS p (conversation_key, next_at)
         VALUES ($1, clock_timestamp() + $2 * interval '1 millisecond')
       ON CONFLICT (conversation_key) DO UPDATE
         SET next_at = greatest(p.next_at, clock_timestamp()) + $2 * interval '1 millisecond'
       RETURNING greatest(0, extract(epoch FROM (p.next_at - clock_timestamp())) * 1000 - $2) AS wait_ms`,
      [conversationKey, this.intervalMs],
    );
    return Math.ceil(Number(rows[0]?.wait_ms ?? 0));
  }

  async reserve(conversationKey: string): Promise<void> {
    const waitMs = await this.reserveSlot(conversationKey);
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}
