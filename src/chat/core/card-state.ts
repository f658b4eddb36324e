/**
 * What a card's button refers to by a short id instead of carrying it: the whole of a long list
 * shown a page at a time, button data too long for a platform's value field, a form a message
 * can reopen. Kept in the store (so a click after a restart still works) and dropped when it expires.
 */
import { randomBytes } from 'node:crypto';
import type { CardStateKind } from '../../domain/card-state.ts';
import type { Store } from '../../storage/store.ts';

export type { CardStateKind, CardStateRecord } from '../../domain/card-state.ts';

/** How long a state is kept unless told otherwise: as long as an approval can wait, and a day more. */
export const CARD_STATE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Short, unguessable ids: `cs-` and 16 base32 characters (80 random bits). */
function newId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const bytes = randomBytes(16);
  let id = 'cs-';
  for (const byte of bytes) id += alphabet[byte % 32];
  return id;
}

/** The kept states of cards. */
export class CardStates {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  private get records() {
    return this.store.collection('cardStates');
  }

  /**
   * Keeps a payload and gives its id at once; `written` resolves when it is on disk. The id is
   * usable right away in this process (the store serves reads from memory).
   */
  reserve(
    kind: CardStateKind,
    payload: unknown,
    options: { conversation?: string; ttlMs?: number } = {},
  ): { id: string; written: Promise<unknown> } {
    const id = newId();
    const now = this.now();
    const written = this.records.put({
      id,
      kind,
      ...(options.conversation ? { conversation: options.conversation } : {}),
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + (options.ttlMs ?? CARD_STATE_TTL_MS)).toISOString(),
      payload,
    });
    return { id, written };
  }

  /** Keeps a payload; resolves with its id once it is stored. */
  async keep(
    kind: CardStateKind,
    payload: unknown,
    options: { conversation?: string; ttlMs?: number } = {},
  ): Promise<string> {
    const { id, written } = this.reserve(kind, payload, options);
    await written;
    return id;
  }

  /** The payload kept under `id`, unless it expired, is of another kind or belongs to another conversation. */
  get<T>(id: string, kind: CardStateKind, conversation?: string): T | undefined {
    const record = this.records.get(id);
    if (!record || record.kind !== kind) return undefined;
    if (Date.parse(record.expiresAt) <= this.now()) return undefined;
    if (record.conversation && conversation && record.conversation !== conversation) return undefined;
    return record.payload as T;
  }

  /** The kept states of a kind that have not expired, with their ids. */
  list<T>(kind: CardStateKind): { id: string; payload: T }[] {
    const now = this.now();
    return this.records
      .list((r) => r.kind === kind && Date.parse(r.expiresAt) > now)
      .map((r) => ({ id: r.id, payload: r.payload as T }));
  }

  /** Drops a kept state. */
  async drop(id: string): Promise<void> {
    await this.records.delete(id);
  }

  /** Drops expired states; returns how many. */
  async sweep(): Promise<number> {
    const now = this.now();
    const expired = this.records.list((r) => Date.parse(r.expiresAt) <= now);
    for (const record of expired) await this.records.delete(record.id);
    return expired.length;
  }
}
