/**
 * Card posts and edits from any replica. The job notifier and the alert center send through
 * {@link CardRelay.surfaces}: each send first takes the conversation's shared pace slot, then
 * goes to the surface of this replica when it has it, and otherwise is written to the outbox and
 * announced with `NOTIFY`; the replica that has that surface (a terminal chat, a surface only
 * one replica runs) claims it (`FOR UPDATE SKIP LOCKED`, so one replica delivers it) and sends
 * it. A post waits for the new message's id, which the delivering replica notifies back.
 *
 * LISTEN/NOTIFY: https://www.postgresql.org/docs/15/sql-notify.html
 */
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { ChatSurface, ConversationRef } from '../../chat/core/surface.ts';
import { type Logger, silentLogger } from '../../logging/logger.ts';
import type { View } from '../../views/view.ts';
import type { ConversationPace } from './conversation-pace.ts';

/** Channel announcing outbox rows; the payload is the surface name. */
const CARDS_CHANNEL = 'portalops_cards';
/** Channel announcing a delivered post; the payload is the outbox row id. */
const RESULTS_CHANNEL = 'portalops_card_results';

/** Finds this replica's surface by name. */
export type SurfaceLookup = (name: string) => ChatSurface | undefined;

/** Listens on a channel on a connection of its own; `onReconnect` runs after a lost connection came back. */
export type ListenFn = (
  channel: string,
  listener: (payload: string) => void,
  onReconnect?: () => void,
) => Promise<() => Promise<void>>;

/** Options of {@link CardRelay}. */
export interface CardRelayOptions {
  pool: Pool;
  /** The database's `listen` (src/storage/postgres/database.ts). */
  listen: ListenFn;
  pace: ConversationPace;
  /** This replica's surfaces (the chat core's). */
  local: SurfaceLookup;
  /** The stored reference of a conversation, to send to it. */
  conversation: (surface: string, conversationId: string) => ConversationRef;
  /** Surfaces that may exist on other replicas (a post or edit for another surface fails at once). */
  relayedSurfaces?: string[];
  /** Longest wait for another replica to deliver a post. Default 15 s. */
  postTimeoutMs?: number;
  logger?: Logger;
}

interface OutboxRow {
  id: string;
  surface: string;
  conversation_id: string;
  message_id: string | null;
  operation: 'post' | 'update';
  view: View;
}

/** Sends cards through whichever replica has the surface, at the shared pace. */
export class CardRelay {
  readonly replicaId = `replica-${randomUUID().slice(0, 8)}`;
  private readonly stopListening: (() => Promise<void>)[] = [];
  private listening = false;
  private readonly waiting = new Map<
    string,
    (row: { message: string | null; failure: string | null }) => void
  >();
  private draining: Promise<void> | undefined;
  private drainAgain = new Set<string>();
  private readonly logger: Logger;
  /** Sends this replica delivered for another one (diagnostics, tests). */
  relayedDeliveries = 0;

  constructor(private readonly options: CardRelayOptions) {
    this.logger = options.logger ?? silentLogger();
  }

  /** Listens for sends other replicas hand over, and delivers those already waiting. */
  async start(): Promise<void> {
    const catchUp = () => {
      for (const surface of this.options.relayedSurfaces ?? []) this.deliverWaiting(surface);
    };
    this.stopListening.push(
      await this.options.listen(CARDS_CHANNEL, (surface) => this.deliverWaiting(surface), catchUp),
      await this.options.listen(RESULTS_CHANNEL, (id) => this.onResult(id)),
    );
    this.listening = true;
    catchUp();
  }

  async stop(): Promise<void> {
    this.listening = false;
    await Promise.allSettled(this.stopListening.splice(0).map((stop) => stop()));
    await this.draining;
  }

  /** The surface lookup the job notifier and the alert center send through. */
  surfaces(): SurfaceLookup {
    return (name) => {
      const local = this.options.local(name);
      if (!local && !this.options.relayedSurfaces?.includes(name)) return undefined;
      return this.surface(name);
    };
  }

  private surface(name: string): ChatSurface {
    const relay = this;
    return {
      name,
      async post(conversation, view) {
        await relay.options.pace.reserve(`${name}:${conversation.conversationId}`);
        const local = relay.options.local(name);
        if (local) return local.post(conversation, view);
        return relay.handOver(name, conversation.conversationId, 'post', view);
      },
      async update(conversation, messageId, view) {
        await relay.options.pace.reserve(`${name}:${conversation.conversationId}`);
        const local = relay.options.local(name);
        if (local) return local.update(conversation, messageId, view);
        await relay.handOver(name, conversation.conversationId, 'update', view, messageId);
      },
      fits: (view) => relay.options.local(name)?.fits?.(view) ?? true,
    };
  }

  /** Writes a send to the outbox for the replica with the surface; a post waits for its message id. */
  private async handOver(
    surface: string,
    conversationId: string,
    operation: 'post' | 'update',
    view: View,
    messageId?: string,
  ): Promise<string> {
    const { rows } = await this.options.pool.query<{ id: string }>(
      `WITH row AS (
         INSERT INTO portalops.card_outbox (surface, conversation_id, message_id, operation, view, sender)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id)
       SELECT id, pg_notify('${CARDS_CHANNEL}', $1) FROM row`,
      [surface, conversationId, messageId ?? null, operation, JSON.stringify(view), this.replicaId],
    );
    const id = String(rows[0]?.id);
    if (operation === 'update') return messageId ?? '';
    return this.awaitPost(id, surface);
  }

  private async awaitPost(id: string, surface: string): Promise<string> {
    const timeoutMs = this.options.postTimeoutMs ?? 15_000;
    let timer: NodeJS.Timeout | undefined;
    let outcome = await new Promise<{ message: string | null; failure: string | null } | undefined>(
      (resolve) => {
        this.waiting.set(id, resolve);
        timer = setTimeout(() => resolve(undefined), timeoutMs);
      },
    );
    clearTimeout(timer);
    this.waiting.delete(id);
    // A result notice lost with a dropped connection: the row still says.
    outcome ??= await this.outcomeOf(id);
    if (!outcome) {
      // Nobody took it: withdraw it unless a replica claimed it meanwhile.
      await this.options.pool.query(
        'DELETE FROM portalops.card_outbox WHERE id = $1 AND claimed_by IS NULL',
        [id],
      );
      throw new Error(`No running PortalOps replica has the ${surface} surface to post this message.`);
    }
    await this.options.pool.query('DELETE FROM portalops.card_outbox WHERE id = $1', [id]);
    if (outcome.failure || !outcome.message)
      throw new Error(outcome.failure ?? 'The post was not delivered.');
    return outcome.message;
  }

  private onResult(id: string): void {
    const resolve = this.waiting.get(id);
    if (!resolve) return;
    this.outcomeOf(id)
      .then((outcome) => outcome && resolve(outcome))
      .catch((error: unknown) => resolve({ message: null, failure: (error as Error).message }));
  }

  /** The delivered post's message id (or why it failed); undefined while nobody delivered it. */
  private async outcomeOf(
    id: string,
  ): Promise<{ message: string | null; failure: string | null } | undefined> {
    const { rows } = await this.options.pool.query<{
      result_message_id: string | null;
      failure: string | null;
    }>('SELECT result_message_id, failure FROM portalops.card_outbox WHERE id = $1', [id]);
    const row = rows[0];
    if (!row || (row.result_message_id === null && row.failure === null)) return undefined;
    return { message: row.result_message_id, failure: row.failure };
  }

  /** Delivers every waiting send for `surface` when this replica has it (one drain at a time). */
  private deliverWaiting(surface: string): void {
    if (!this.options.local(surface) || !this.listening) return;
    if (this.draining) {
      this.drainAgain.add(surface);
      return;
    }
    this.draining = this.drain(surface)
      .catch((error: unknown) => this.logger.warn({ err: error, surface }, 'could not deliver relayed cards'))
      .finally(() => {
        this.draining = undefined;
        const next = [...this.drainAgain];
        this.drainAgain.clear();
        for (const s of next) this.deliverWaiting(s);
      });
  }

  private async drain(surface: string): Promise<void> {
    for (;;) {
      const { rows } = await this.options.pool.query<OutboxRow>(
        `UPDATE portalops.card_outbox SET claimed_by = $2
          WHERE id = (SELECT id FROM portalops.card_outbox
                       WHERE claimed_by IS NULL AND surface = $1
                       ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1)
          RETURNING id, surface, conversation_id, message_id, operation, view`,
        [surface, this.replicaId],
      );
      const row = rows[0];
      if (!row) return;
      await this.deliver(row);
    }
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const local = this.options.local(row.surface);
    const conversation = this.options.conversation(row.surface, row.conversation_id);
    let result: string | null = null;
    let failure: string | null = null;
    try {
      if (!local) throw new Error(`This replica no longer has the ${row.surface} surface.`);
      if (row.operation === 'post') result = await local.post(conversation, row.view);
      else await local.update(conversation, row.message_id ?? '', row.view);
      this.relayedDeliveries++;
    } catch (error) {
      failure = (error as Error).message;
      this.logger.warn({ err: error, surface: row.surface }, 'could not deliver a relayed card');
    }
    if (row.operation === 'update') {
      await this.options.pool.query('DELETE FROM portalops.card_outbox WHERE id = $1', [row.id]);
      return;
    }
    await this.options.pool.query(
      `UPDATE portalops.card_outbox SET result_message_id = $2, failure = $3 WHERE id = $1;`,
      [row.id, result, failure],
    );
    await this.options.pool.query(`SELECT pg_notify('${RESULTS_CHANNEL}', $1)`, [row.id]);
  }
}
