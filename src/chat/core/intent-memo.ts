/**
 * What a message asks for, remembered: reading a message is pure given its text and the
 * registered environments, and people send the same few requests over and over ("help",
 * "sites in dev"), so a recent reading is reused instead of parsing the text again.
 */
import { LRUCache } from 'lru-cache';
import type { Intent, ParseContext, ParseFailure } from '../../intents/intent.ts';
import { parseIntent } from '../../intents/parser.ts';

/** What a message reads as. */
export type Reading = Intent | ParseFailure;

/** Readings remembered at most (the most recently used are kept). */
export const REMEMBERED_READINGS = 1_000;

/** Longer texts are parsed each time (they are rarely sent twice, and would crowd the memo). */
export const LONGEST_REMEMBERED_TEXT = 500;

/**
 * Reads messages through a bounded memo of recent readings. Each caller gets its own copy of a
 * reading, so a command that changes its intent cannot change what the next message reads as.
 */
export class IntentMemo {
  private readonly readings = new LRUCache<string, Reading>({ max: REMEMBERED_READINGS });
  /** A key per environment list (the registry's list is one array for the process's life). */
  private readonly contextKeys = new WeakMap<ParseContext['environments'], string>();

  constructor(private readonly parse: (text: string, context: ParseContext) => Reading = parseIntent) {}

  /**
   * What `text` asks for, given the registered environments. A context carrying more than the
   * environments is not keyed here, so its messages are parsed each time.
   */
  read(text: string, context: ParseContext): Reading {
    if (text.length > LONGEST_REMEMBERED_TEXT || !onlyEnvironments(context)) return this.parse(text, context);
    const key = `${this.contextKey(context)}\n${text}`;
    let reading = this.readings.get(key);
    if (reading === undefined) {
      reading = this.parse(text, context);
      this.readings.set(key, structuredClone(reading));
      return reading;
    }
    return structuredClone(reading);
  }

  private contextKey(context: ParseContext): string {
    let key = this.contextKeys.get(context.environments);
    if (key === undefined) {
      key = JSON.stringify(context.environments);
      this.contextKeys.set(context.environments, key);
    }
    return key;
  }
}

function onlyEnvironments(context: ParseContext): boolean {
  for (const key in context) if (key !== 'environments') return false;
  return true;
}
