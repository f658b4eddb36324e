/**
 * Metrics of the chat side, plugged in from outside the chat core: how long each turn takes and
 * how many inbound events were taken once (a repeat delivery not acted on again).
 */
import type { ChatCore } from '../chat/core/chat-core.ts';
import type { Store } from '../storage/store.ts';
import type { OpsMetrics } from './metrics.ts';

/**
 * The metric label of an event id: its first segment (`teams:msg:…` → `teams`, `alert:…` →
 * `alert`), so the label has a handful of values whatever the ids.
 */
export function eventSourceOf(eventId: string): string {
  const head = eventId.split(':', 1)[0] ?? '';
  return /^[a-z][a-z0-9_-]{0,19}$/i.test(head) ? head.toLowerCase() : 'other';
}

/**
 * Times every message and card click the core handles (`portalops_chat_turn_duration_seconds`).
 * The timer is two `performance.now()` calls and one histogram observation per turn.
 */
export function timeChatTurns(core: ChatCore, metrics: OpsMetrics): void {
  const handleMessage = core.handleMessage.bind(core);
  const handleAction = core.handleAction.bind(core);
  core.handleMessage = async (message) => {
    const end = metrics.chatTurn.startTimer({ surface: message.conversation.surface, kind: 'message' });
    try {
      return await handleMessage(message);
    } finally {
      end();
    }
  };
  core.handleAction = async (action) => {
    const end = metrics.chatTurn.startTimer({ surface: action.conversation.surface, kind: 'action' });
    try {
      return await handleAction(action);
    } finally {
      end();
    }
  };
}

/**
 * The store with its event claims counted: every repeat (a claim refused because the event was
 * handled or is being handled) bumps `portalops_inbound_events_deduplicated_total`. Everything
 * else goes to the store unchanged.
 */
export function countingDuplicateEvents<S extends Store>(store: S, metrics: OpsMetrics): S {
  const count = (eventId: string) => metrics.eventsDeduplicated.inc({ source: eventSourceOf(eventId) });
  const claimEvent: Store['claimEvent'] = async (eventId, ttlMs) => {
    const claim = await store.claimEvent(eventId, ttlMs);
    if (claim === undefined) count(eventId);
    return claim;
  };
  const markEventProcessed: Store['markEventProcessed'] = async (eventId, ttlMs) => {
    const first = await store.markEventProcessed(eventId, ttlMs);
    if (!first) count(eventId);
    return first;
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === 'claimEvent') return claimEvent;
      if (property === 'markEventProcessed') return markEventProcessed;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
