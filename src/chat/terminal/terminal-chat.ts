/**
 * `portalops chat`: talk to the bot from a terminal. Type messages as you would in Teams or
 * Slack; type a button's number to click it; at a confirmation, typing the name it asks for
 * confirms it; `/as <user>` switches who you are, so one session can play requester and
 * approver; `/quit` leaves.
 */
import { createInterface, type Interface } from 'node:readline/promises';
import type { Identity } from '../../policy/policy.ts';
import type { ChatCore } from '../core/chat-core.ts';
import type { ConversationRef } from '../core/surface.ts';
import { type NumberedButton, TerminalSurface } from './terminal-surface.ts';

/** An identity from a sign-in name typed on the command line. */
export function identityOf(user: string): Identity {
  const email = user.includes('@') ? user : undefined;
  const local = user.split('@')[0] ?? user;
  return {
    id: user.toLowerCase(),
    ...(email ? { email: email.toLowerCase() } : {}),
    displayName: local.charAt(0).toUpperCase() + local.slice(1),
  };
}

/** Runs the chat loop on stdin/stdout until `/quit` or end of input. */
export async function runTerminalChat(
  core: ChatCore,
  options: { as: string; input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream },
): Promise<void> {
  const output = options.output ?? process.stdout;
  const surface = new TerminalSurface((text) => output.write(`${text}\n`));
  core.register(surface);
  const conversation: ConversationRef = { surface: 'terminal', conversationId: 'terminal' };
  let user = identityOf(options.as);
  let counter = 0;
  const rl: Interface = createInterface({ input: options.input ?? process.stdin, output, terminal: false });
  // One reader for commands and card inputs alike, so piped input is consumed in order.
  const lines = rl[Symbol.asyncIterator]();
  const nextLine = async (prompt?: string): Promise<string | undefined> => {
    if (prompt) output.write(prompt);
    const next = await lines.next();
    return next.done ? undefined : String(next.value);
  };
  output.write(`You are ${user.email ?? user.id}. Type "help", a button number, "/as <user>" or "/quit".\n`);
  for (;;) {
    const raw = await nextLine();
    if (raw === undefined) break;
    const line = raw.trim();
    if (!line) continue;
    if (line === '/quit' || line === '/exit') break;
    const as = /^\/as\s+(\S+)$/.exec(line);
    if (as) {
      user = identityOf(as[1]!);
      output.write(`You are now ${user.email ?? user.id}.\n`);
      continue;
    }
    const prompt = surface.typedPrompt();
    // The site name typed at the confirmation in front of you confirms it, as on the card.
    const typed: NumberedButton | undefined =
      prompt && line.toLowerCase() === (prompt.confirmInput.placeholder ?? '').toLowerCase()
        ? { button: prompt.confirm, messageId: prompt.messageId, inputs: [] }
        : undefined;
    const numbered = /^\d+$/.test(line);
    const choice = typed ?? (numbered ? surface.button(Number(line)) : undefined);
    if (numbered && !choice) {
      output.write(
        `There is no button ${line} on screen now; the numbers in [ ] are the ones you can type.\n`,
      );
      continue;
    }
    if (choice?.button.verb === 'chat.say') {
      const text = choice.button.data.text ?? '';
      output.write(`you> ${text}\n`);
      await core.handleMessage({ eventId: `terminal-${Date.now()}-${++counter}`, conversation, user, text });
      continue;
    }
    if (choice) {
      const inputs: Record<string, string> = {};
      if (typed && prompt) inputs[prompt.confirmInput.id] = line;
      else if (choice.confirmInput) {
        inputs[choice.confirmInput.id] = (
          (await nextLine(
            `${choice.confirmInput.label} (type ${choice.confirmInput.placeholder ?? ''} to confirm): `,
          )) ?? ''
        ).trim();
      }
      for (const input of choice.inputs) {
        const hint = input.choices ? ` [${input.choices.map((c) => c.value).join('/')}]` : '';
        const answer = (
          (await nextLine(`${input.label}${hint}${input.value ? ` (${input.value})` : ''}: `)) ?? ''
        ).trim();
        const value = answer || input.value;
        if (value) inputs[input.id] = value;
      }
      const replaced = await core.handleAction({
        eventId: `terminal-${Date.now()}-${++counter}`,
        conversation,
        user,
        messageId: choice.messageId,
        verb: choice.button.verb,
        data: choice.button.data,
        inputs,
      });
      if (replaced) await surface.update(conversation, choice.messageId, replaced);
      continue;
    }
    await core.handleMessage({
      eventId: `terminal-${Date.now()}-${++counter}`,
      conversation,
      user,
      text: line,
    });
  }
  rl.close();
}
