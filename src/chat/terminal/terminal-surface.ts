/**
 * The terminal as a chat surface: views printed as text, buttons numbered so a person can
 * pick them by typing the number.
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

/** Prints views and remembers their buttons by number. */
export class TerminalSurface implements ChatSurface {
  readonly name = 'terminal';
  private nextMessage = 1;
  private nextButton = 1;
  private readonly buttons = new Map<number, NumberedButton>();
  private readonly lastText = new Map<string, string>();

  constructor(private readonly write: (text: string) => void) {}

  private show(messageId: string, view: View, prefix: string): void {
    const rendered = renderText(view);
    if (this.lastText.get(messageId) === rendered.text) return;
    this.lastText.set(messageId, rendered.text);
    let text = rendered.text;
    if (rendered.buttons.length > 0) {
      const numbers = rendered.buttons.map((button) => {
        const n = this.nextButton++;
        this.buttons.set(n, {
          button,
          messageId,
          inputs: view.type === 'form' ? view.inputs : [],
          ...(view.type === 'confirmation' ? { confirmInput: view.confirmInput } : {}),
        });
        return `[${n}] ${button.label}`;
      });
      text = `${text.split('\n').slice(0, -1).join('\n')}\n${numbers.join('   ')}`;
    }
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

  /** The button with this number, if any. */
  button(n: number): NumberedButton | undefined {
    return this.buttons.get(n);
  }
}
