import type { Command } from 'commander';
import { loadConfig } from '../config/config.ts';
import { readEnvironmentsFile } from '../config/environments-file.ts';
import { parseIntent } from '../intents/parser.ts';
import { DEFAULT_SCENARIO_FILE, readScenarioFile } from '../simulator/scenario-file.ts';
import type { CliIo } from './main.ts';

/** `portalops parse "<text>"`: prints what the bot understands from a message, as JSON. */
export function registerParseCommand(program: Command, io: CliIo): void {
  program
    .command('parse <text...>')
    .description('show, as JSON, the request the bot reads from a chat message')
    .action((words: string[]) => {
      const config = loadConfig(io.env);
      const environments = config.environmentsFile
        ? readEnvironmentsFile(config.environmentsFile).map((e) => e.alias)
        : readScenarioFile(config.simulator.scenarioFile ?? DEFAULT_SCENARIO_FILE).environments.map(
            (e) => e.alias,
          );
      io.out(JSON.stringify(parseIntent(words.join(' '), { environments }), null, 2));
    });
}
