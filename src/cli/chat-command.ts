import type { Command } from 'commander';
import { createChat } from '../chat/create-chat.ts';
import { relayTerminalChat } from '../chat/terminal/chat-relay.ts';
import { runTerminalChat } from '../chat/terminal/terminal-chat.ts';
import { loadConfig } from '../config/config.ts';
import type { CliIo } from './main.ts';
import { withRuntime } from './with-runtime.ts';

/**
 * `portalops chat --as <user>`: the bot in the terminal, against the same engine and platform:
 * the running PortalOps's when `portalops start` serves this data dir, its own otherwise.
 */
export function registerChatCommand(program: Command, io: CliIo): void {
  program
    .command('chat')
    .description('chat with PortalOps in the terminal (cards as text, buttons as numbers)')
    .option('--as <user>', 'who you are (sign-in name); /as switches during the session', 'alice@contoso.com')
    .action(async (options: { as: string }) => {
      // While `portalops start` runs on this data dir, chat with it rather than beside it.
      const { dataDir } = loadConfig({ PORTALOPS_LOG_LEVEL: 'warn', ...io.env });
      if (await relayTerminalChat({ dataDir, as: options.as })) return;
      await withRuntime(io, async (runtime) => {
        runtime.engine.start();
        const chat = createChat(runtime);
        try {
          await runTerminalChat(chat.core, { as: options.as });
        } finally {
          await chat.stop();
        }
      });
    });
}
