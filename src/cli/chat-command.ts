import type { Command } from 'commander';
import { createChat } from '../chat/create-chat.ts';
import { runTerminalChat } from '../chat/terminal/terminal-chat.ts';
import type { CliIo } from './main.ts';
import { withRuntime } from './with-runtime.ts';

/** `portalops chat --as <user>`: the bot in the terminal, against the same engine and platform. */
export function registerChatCommand(program: Command, io: CliIo): void {
  program
    .command('chat')
    .description('chat with PortalOps in the terminal (cards as text, buttons as numbers)')
    .option('--as <user>', 'who you are (sign-in name); /as switches during the session', 'alice@contoso.com')
    .action(async (options: { as: string }) =>
      withRuntime(io, async (runtime) => {
        runtime.engine.start();
        const chat = createChat(runtime);
        try {
          await runTerminalChat(chat.core, { as: options.as });
        } finally {
          await chat.stop();
        }
      }),
    );
}
