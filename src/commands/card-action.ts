/**
 * Card actions, as pluggable as intents: each button verb is handled by the command or feature
 * that owns it (approvals, jobs, site fixes, the provisioning form, alerts), declared next to it
 * and registered with the chat core. The core only authenticates, de-duplicates, looks the
 * handler up and renders what it returns.
 */
import type { Intent } from '../intents/intent.ts';
import type { ActionVerb, View } from '../views/view.ts';
import type { CardAccess } from './card-access.ts';
import type { CommandContext, Reply } from './command.ts';

/** A click as its handler sees it (button data already resolved from any kept state). */
export interface CardClick {
  /** Who clicked, with the command dependencies and the conversation. */
  ctx: CommandContext;
  verb: ActionVerb;
  /** The button's data: ids and a nonce only; anyone can forge it, so read records through `access`. */
  data: Record<string, string>;
  /** The values of the card's inputs. */
  inputs: Record<string, string>;
  /** The message the clicked card is in, when the surface knows it. */
  messageId?: string;
  /** Lookups of the records a click names, checked against the clicker's roles. */
  access: CardAccess;
  /** Runs an intent exactly as if the clicker had typed it (the permission check included). */
  run(intent: Intent): Promise<Reply[]>;
}

/** Another posted card a click made out of date, with the final state to show on it. */
export interface CardUpdate {
  surface: string;
  conversationId: string;
  messageId: string;
  view: View;
}

/** What a click does to the card it came from, what it posts, and which other cards it updates. */
export interface ActionOutcome {
  /** The view that replaces the clicked card (undefined: leave it as it is). */
  replace?: View;
  replies: Reply[];
  updates?: CardUpdate[];
}

/** The handler of one or more button verbs. */
export interface CardAction {
  verbs: readonly ActionVerb[];
  handle(click: CardClick): Promise<ActionOutcome | undefined>;
  /**
   * What the clicked card should show now (the answer to a repeated or stale click), or
   * undefined when this handler cannot tell. Must check that the clicker may see it.
   */
  current?(click: CardClick): View | undefined;
}

/** Declares a card action (typed, so handlers read like command specs). */
export function defineCardAction(action: CardAction): CardAction {
  return action;
}

/** The card actions the chat core knows, by verb. */
export class CardActions {
  private readonly byVerb = new Map<string, CardAction>();

  /** Registers handlers; a verb registered twice is a programming error. */
  register(...actions: CardAction[]): void {
    for (const action of actions) {
      for (const verb of action.verbs) {
        if (this.byVerb.has(verb)) throw new Error(`The card action "${verb}" is registered twice.`);
        this.byVerb.set(verb, action);
      }
    }
  }

  /** The handler of a verb, if one is registered. */
  handlerFor(verb: string): CardAction | undefined {
    return this.byVerb.get(verb);
  }

  /**
   * What a card shows now: its verb's handler decides; for a verb with no handler of its own
   * (`refresh`), the first handler that recognises the card's data.
   */
  current(click: CardClick): View | undefined {
    const own = this.byVerb.get(click.verb);
    if (own) return own.current?.(click);
    for (const action of new Set(this.byVerb.values())) {
      const view = action.current?.(click);
      if (view) return view;
    }
    return undefined;
  }
}
