/**
 * Which conversations hear which alerts: "subscribe this channel to prod alerts". One record per
 * conversation and environment, naming the conditions (all of them when none are named).
 */
import type { Store } from '../storage/store.ts';
import type { AlertCondition } from './alert.ts';

/** A conversation's subscription to an environment's alerts. */
export interface Subscription {
  id: string;
  surface: string;
  conversationId: string;
  environment: string;
  /** Empty: every condition. */
  conditions: AlertCondition[];
  by: string;
  at: string;
}

/** Subscriptions, kept in the store. */
export class AlertSubscriptions {
  constructor(private readonly store: Store) {}

  private collection() {
    return this.store.collection('subscriptions');
  }

  /** Adds (or widens) a subscription. */
  async subscribe(s: Omit<Subscription, 'id' | 'at'> & { at?: string }): Promise<Subscription> {
    const id = `${s.surface}:${s.conversationId}:${s.environment}`;
    const existing = this.collection().get(id) as unknown as Subscription | undefined;
    const conditions =
      existing && (existing.conditions.length === 0 || s.conditions.length === 0)
        ? []
        : [...new Set([...(existing?.conditions ?? []), ...s.conditions])];
    const record: Subscription = { ...s, id, conditions, at: s.at ?? new Date().toISOString() };
    await this.collection().put(record as never);
    return record;
  }

  /** Removes a conversation's subscriptions (to one environment, or all); returns how many. */
  async unsubscribe(surface: string, conversationId: string, environment?: string): Promise<number> {
    const mine = this.of(surface, conversationId).filter(
      (s) => !environment || s.environment === environment,
    );
    for (const s of mine) await this.collection().delete(s.id);
    return mine.length;
  }

  /** A conversation's subscriptions. */
  of(surface: string, conversationId: string): Subscription[] {
    return this.all().filter((s) => s.surface === surface && s.conversationId === conversationId);
  }

  /** Who hears a condition in an environment. */
  audience(environment: string, condition: AlertCondition): Subscription[] {
    return this.all().filter(
      (s) => s.environment === environment && (s.conditions.length === 0 || s.conditions.includes(condition)),
    );
  }

  private all(): Subscription[] {
    return this.collection().list() as unknown as Subscription[];
  }
}
