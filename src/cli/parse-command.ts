import type { Command } from 'commander';
import { loadConfig } from '../config/config.ts';
import { parseIntent } from '../intents/parser.ts';
import { DEFAULT_SCENARIO_FILE, readScenarioEnvironmentNames } from '../simulator/scenario-aliases.ts';
import type { CliIo } from './main.ts';

/** `portalops parse "<text>"`: prints what the bot understands from a message, as JSON. */
export function registerParseCommand(program: Command, io: CliIo): void {
  program
    .command('parse <text...>')
    .description('show, as JSON, the request the bot reads from a chat message')
    .action(async (words: string[]) => {
      const config = loadConfig(io.env);
      // Only the environments' names: the scenario's sites and an environments file's checks are not needed here.
      const environments = config.environmentsFile
        ? (await import('../config/environments-file.ts')).readEnvironmentsFile(config.environmentsFile)
        : readScenarioEnvironmentNames(config.simulator.scenarioFile ?? DEFAULT_SCENARIO_FILE);
      io.out(JSON.stringify(parseIntent(words.join(' '), { environments }), null, 2));
    });
}
