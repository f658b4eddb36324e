/**
 * The terminal as a chat surface: views printed as text, buttons numbered so a person can
 * pick them by typing the number. A button keeps its number while it is on screen (a job card
 * redrawn at every step keeps "[5] Cancel"), and an update is printed once even when two
 * messages show the same thing.
 */

import { renderText } from '../../views/text-renderer.ts';
import type { Button, Input, View } from '../../views/view.ts';
import type { ChatSurface, ConversationRef } from '../core/surface.ts';

/** A numbered button, with the inputs of the card it is on. */
export interface NumberedButton {
  button: Button;
  messageId: string;
  inputs: Input[];
  confirmInput?: Input;
}

/** A card waiting for typed text: a confirmation asking for the site name. */
export interface TypedPrompt {
  messageId: string;
  confirmInput: Input;
  confirm: Button;
}

const keyOf = (b: Button) => `${b.verb}|${JSON.stringify(b.data)}`;

/** Prints views and remembers their buttons by number. */
export class TerminalSurface implements ChatSurface {
  readonly name = 'terminal';
  private nextMessage = 1;
  private nextButton = 1;
  private readonly buttons = new Map<number, NumberedButton>();
  /** The number a button (by verb and data) has while it is on screen. */
  private readonly numbers = new Map<string, number>();
  /** The numbers each message shows. */
  private readonly shown = new Map<string, number[]>();
  private readonly lastText = new Map<string, string>();
  private prompt: TypedPrompt | undefined;

  constructor(private readonly write: (text: string) => void) {}

  private numberOf(button: Button, entry: NumberedButton): number {
    const key = keyOf(button);
    let n = this.numbers.get(key);
    if (n === undefined || !this.buttons.has(n)) {
      n = this.nextButton++;
      this.numbers.set(key, n);
    }
    this.buttons.set(n, entry);
    return n;
  }

  /** Drops the numbers `messageId` showed that no message shows any more. */
  private forget(messageId: string, keep: number[]): void {
    const onOthers = new Set([...this.shown].filter(([id]) => id !== messageId).flatMap(([, ns]) => ns));
    for (const n of this.shown.get(messageId) ?? []) {
      if (keep.includes(n) || onOthers.has(n)) continue;
      const key = this.buttons.get(n);
      this.buttons.delete(n);
      if (key) this.numbers.delete(keyOf(key.button));
    }
    this.shown.set(messageId, keep);
  }

  private show(messageId: string, view: View, prefix: string): void {
    const rendered = renderText(view);
    if (view.type === 'confirmation')
      this.prompt = { messageId, confirmInput: view.confirmInput, confirm: view.confirm };
    else if (this.prompt?.messageId === messageId) this.prompt = undefined;
    if (this.lastText.get(messageId) === rendered.text) return;
    // Two messages showing one job are edited together: the second edit would repeat the first.
    const shownElsewhere =
      prefix !== 'bot> ' &&
      [...this.lastText].some(([id, text]) => id !== messageId && text === rendered.text);
    this.lastText.set(messageId, rendered.text);
    let text = rendered.text;
    const numbers = rendered.buttons.map((button) =>
      this.numberOf(button, {
        button,
        messageId,
        inputs: view.type === 'form' ? view.inputs : [],
        ...(view.type === 'confirmation' ? { confirmInput: view.confirmInput } : {}),
      }),
    );
    this.forget(messageId, numbers);
    if (rendered.buttons.length > 0) {
      const labels = rendered.buttons.map((button, i) => `[${numbers[i]}] ${button.label}`);
      text = `${text.split('\n').slice(0, -1).join('\n')}\n${labels.join('   ')}`;
    }
    if (shownElsewhere) return;
    this.write(`${prefix}${text.replace(/\n/g, `\n${' '.repeat(prefix.length)}`)}`);
  }

  async post(_conversation: ConversationRef, view: View): Promise<string> {
    const messageId = `t-${this.nextMessage++}`;
    this.show(messageId, view, 'bot> ');
    return messageId;
  }

  async update(_conversation: ConversationRef, messageId: string, view: View): Promise<void> {
    this.show(messageId, view, '  ↻ ');
  }

  /** The button with this number, if it is still on screen. */
  button(n: number): NumberedButton | undefined {
    return this.buttons.get(n);
  }

  /** The confirmation waiting for its typed text, if the latest one still is. */
  typedPrompt(): TypedPrompt | undefined {
    return this.prompt;
  }
}
