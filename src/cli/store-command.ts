import type { Command } from 'commander';
import { loadConfig } from '../config/config.ts';
import { repairStore } from '../storage/store-repair.ts';
import type { CliIo } from './main.ts';

/** `portalops store repair`: drops the damaged lines of the store's files, keeping copies. */
export function registerStoreCommand(program: Command, io: CliIo): void {
  const store = program.command('store').description('look after the data dir’s store');
  store
    .command('repair')
    .description('keep a copy of each damaged store file, then drop only its unreadable lines')
    .action(async () => {
      const config = loadConfig({ PORTALOPS_LOG_LEVEL: 'warn', ...io.env });
      const report = await repairStore(config.dataDir);
      if (report.findings.length === 0) {
        io.out(`The store in ${config.dataDir} is sound; nothing was changed.`);
        return;
      }
      for (const f of report.findings)
        io.out(
          `${f.file} line ${f.line}: ${f.reason} — ${f.action === 'dropped' ? 'dropped' : 'kept (the line itself is readable)'}`,
        );
      for (const copy of report.copies) io.out(`The file as it was is kept in ${copy}.`);
      io.out('Start PortalOps again; jobs and approvals are as the remaining lines left them.');
    });
}
