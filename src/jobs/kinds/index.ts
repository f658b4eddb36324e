/**
 * The site lifecycle job kinds, registered with the engine together.
 */
import type { JobKindDefinition } from '../job-kind.ts';
import type { LifecycleDeps } from './lifecycle-deps.ts';
import { migrateKind } from './migrate.ts';
import { moveDataModelKind } from './move-data-model.ts';
import { changeAndRestartKind, provisionKind, restartProvisioningKind } from './provision.ts';
import { resetKind } from './reset.ts';
import { restartSiteKind } from './restart-site.ts';
import { restoreKind } from './restore.ts';
import { retryPackageInstallKind } from './retry-package-install.ts';

/** provision, restart-provisioning, change-and-restart and reset. */
export const LIFECYCLE_KINDS: JobKindDefinition<LifecycleDeps>[] = [
  provisionKind,
  restartProvisioningKind,
  changeAndRestartKind,
  resetKind,
  migrateKind,
  restoreKind,
  retryPackageInstallKind,
  moveDataModelKind,
  restartSiteKind,
];

export type { LifecycleDeps } from './lifecycle-deps.ts';
export type { MigrateParams } from './migrate.ts';
export type { MoveDataModelParams } from './move-data-model.ts';
export type { ProvisionParams, RestartParams } from './provision.ts';
export type { ResetParams } from './reset.ts';
export type { RestartSiteParams } from './restart-site.ts';
export type { RetryPackageInstallParams } from './retry-package-install.ts';
