/**
 * Every command, by intent kind.
 */
import type { IntentKind } from '../intents/intent.ts';
import { approveCommand, rejectCommand } from './approve.ts';
import { cancelCommand } from './cancel.ts';
import type { CardAction } from './card-action.ts';
import { changeAndRestartCommand } from './change-and-restart.ts';
import type { CommandSpec } from './command.ts';
import { helpCommand } from './help.ts';
import { jobsCommand } from './jobs.ts';
import { migrateCommand } from './migrate.ts';
import { moveDataModelCommand } from './move-data-model.ts';
import { provisionCommand } from './provision.ts';
import { resetCommand } from './reset.ts';
import { restartProvisioningCommand } from './restart-provisioning.ts';
import { restartSiteCommand } from './restart-site.ts';
import { restoreCommand } from './restore.ts';
import { retryCommand } from './retry.ts';
import { retryPackageInstallCommand } from './retry-package-install.ts';
import { sitesCommand } from './sites.ts';
import { statusCommand } from './status.ts';
import { alertsCommand, subscribeCommand, unsubscribeCommand } from './subscribe.ts';
import { templatesCommand } from './templates.ts';
import { troubleshootCommand } from './troubleshoot.ts';
import { whoCanApproveCommand } from './who-can-approve.ts';
import { whyCantICommand } from './why-cant-i.ts';

const commands: CommandSpec[] = [];
const find = (kind: string) => commands.find((c) => c.kind === kind);

commands.push(
  provisionCommand as CommandSpec,
  resetCommand as CommandSpec,
  restartSiteCommand as CommandSpec,
  restartProvisioningCommand as CommandSpec,
  changeAndRestartCommand as CommandSpec,
  retryPackageInstallCommand as CommandSpec,
  migrateCommand as CommandSpec,
  moveDataModelCommand as CommandSpec,
  restoreCommand as CommandSpec,
  statusCommand as CommandSpec,
  sitesCommand as CommandSpec,
  jobsCommand as CommandSpec,
  cancelCommand as CommandSpec,
  retryCommand as CommandSpec,
  approveCommand as CommandSpec,
  rejectCommand as CommandSpec,
  templatesCommand as CommandSpec,
  troubleshootCommand as CommandSpec,
  whoCanApproveCommand as CommandSpec,
  whyCantICommand(find) as CommandSpec,
  subscribeCommand as CommandSpec,
  unsubscribeCommand as CommandSpec,
  alertsCommand as CommandSpec,
  helpCommand(() => commands) as CommandSpec,
);

/** All commands, in help order. */
export const COMMANDS: readonly CommandSpec[] = commands;

/** Every card action the commands own, for the chat core to register. */
export const COMMAND_ACTIONS: readonly CardAction[] = commands.flatMap((c) => c.actions ?? []);

/** The command for an intent kind. */
export function commandFor(kind: IntentKind): CommandSpec {
  return find(kind)!;
}
