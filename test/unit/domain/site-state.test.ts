import { describe, expect, it } from 'vitest';
import {
  canReset,
  canRestartProvisioning,
  type SiteStateInput,
  siteStateOf,
} from '../../../src/domain/site-state.ts';

const site = (over: Partial<SiteStateInput> = {}): SiteStateInput => ({
  status: 'OperationComplete',
  packageInstallStatus: 'Installed',
  type: 'Production',
  trialExpiringInDays: null,
  suspendedWebsiteDeletingInDays: null,
  ...over,
});

describe('the admin-centre state of a site, from the raw WebsiteDto fields', () => {
  it.each([
    [{}, 'configured', 'Configured'],
    [{ packageInstallStatus: 'TemplateInstalled' }, 'configured', 'Configured'],
    [{ status: 'OperationInProgress', packageInstallStatus: 'None' }, 'provisioning', 'Configuring'],
    [
      { status: 'OperationFailed', packageInstallStatus: 'None' },
      'provisioning_failed',
      'Provisioning failed',
    ],
    [{ status: 'OperationNotStarted' }, 'not_configured', 'Not configured'],
    [{ packageInstallStatus: 'InstallFailed' }, 'package_install_failed', 'Getting set up'],
    [{ packageInstallStatus: 'Installing' }, 'package_installing', 'Getting set up'],
    [{ packageInstallStatus: 'InstallRequested' }, 'package_installing', 'Getting set up'],
    [{ packageInstallStatus: 'InstallScheduled' }, 'package_installing', 'Getting set up'],
    [{ packageInstallStatus: 'InstallRetrying' }, 'package_installing', 'Getting set up'],
    [{ packageInstallStatus: 'None' }, 'package_installing', 'Getting set up'],
    [{ packageInstallStatus: 'Uninstalling' }, 'package_removed', 'Package removed'],
    [{ packageInstallStatus: 'UninstallFailed' }, 'package_removed', 'Package removal failed'],
    [
      { type: 'Trial', trialExpiringInDays: 86, suspendedWebsiteDeletingInDays: 93 },
      'configured',
      'Configured',
    ],
    [{ type: 'Trial', trialExpiringInDays: 7 }, 'trial_ending', 'Configured'],
    [{ type: 'Trial', trialExpiringInDays: 1 }, 'trial_ending', 'Configured'],
    [{ type: 'Trial', trialExpiringInDays: 0, suspendedWebsiteDeletingInDays: 30 }, 'suspended', 'Suspended'],
    [
      { type: 'Trial', trialExpiringInDays: 0, suspendedWebsiteDeletingInDays: 5 },
      'deleting_soon',
      'Suspended',
    ],
    [
      { type: 'Trial', trialExpiringInDays: -3, suspendedWebsiteDeletingInDays: 0 },
      'deleting_soon',
      'Suspended',
    ],
    // Suspension outranks the package; a failed operation outranks the trial.
    [
      { type: 'Trial', trialExpiringInDays: 0, packageInstallStatus: 'InstallFailed' },
      'suspended',
      'Suspended',
    ],
    [
      { type: 'Trial', trialExpiringInDays: 0, status: 'OperationFailed' },
      'provisioning_failed',
      'Provisioning failed',
    ],
    // A failed package outranks the trial's countdown.
    [
      { type: 'Trial', trialExpiringInDays: 3, packageInstallStatus: 'InstallFailed' },
      'package_install_failed',
      'Getting set up',
    ],
    // A production site: the countdown fields derive nothing.
    [{ trialExpiringInDays: 0, suspendedWebsiteDeletingInDays: 2 }, 'configured', 'Configured'],
    // Values never seen stay verbatim and are never taken for "Configuring".
    [{ status: 'OperationSuspended' }, 'unknown', 'OperationSuspended'],
    [{ packageInstallStatus: 'InstallPaused' }, 'unknown', 'InstallPaused'],
    [{ status: '' }, 'unknown', '(no status)'],
  ] as [Partial<SiteStateInput>, string, string][])('%o → %s (%s)', (over, kind, label) => {
    const state = siteStateOf(site(over));
    expect(state.kind).toBe(kind);
    expect(state.label).toBe(label);
  });

  it('keeps the raw values verbatim in the details line', () => {
    const state = siteStateOf(
      site({
        type: 'Trial',
        trialExpiringInDays: 4,
        suspendedWebsiteDeletingInDays: 11,
        dataModel: 'Enhanced',
      }),
    );
    expect(state.details).toBe(
      'status OperationComplete · package Installed · type Trial · trialExpiringInDays 4 · suspendedWebsiteDeletingInDays 11 · dataModel Enhanced',
    );
    expect(state.attention).toBe('trial ends in 4 days');
    expect(siteStateOf(site({ status: 'Weird' })).attention).toMatch(
      /"Weird", which PortalOps does not know/,
    );
  });

  it('takes its warning windows from the options', () => {
    const trial = site({ type: 'Trial', trialExpiringInDays: 10, suspendedWebsiteDeletingInDays: 17 });
    expect(siteStateOf(trial).kind).toBe('configured');
    expect(siteStateOf(trial, { trialWarnDays: 14 }).kind).toBe('trial_ending');
    const suspended = site({ type: 'Trial', trialExpiringInDays: 0, suspendedWebsiteDeletingInDays: 10 });
    expect(siteStateOf(suspended).kind).toBe('suspended');
    expect(siteStateOf(suspended, { deletionWarnDays: 10 })).toMatchObject({
      kind: 'deleting_soon',
      daysLeft: 10,
    });
  });

  it('allows a reset of a configured or failed site, and a restart only after failed provisioning', () => {
    const resettable = [{}, { status: 'OperationFailed' }, { type: 'Trial', trialExpiringInDays: 3 }];
    for (const over of resettable)
      expect(canReset(siteStateOf(site(over as Partial<SiteStateInput>)))).toBe(true);
    const notResettable = [
      { status: 'OperationInProgress' },
      { status: 'OperationNotStarted' },
      { status: 'Mystery' },
      { type: 'Trial', trialExpiringInDays: 0 },
      { packageInstallStatus: 'Installing' },
    ];
    for (const over of notResettable)
      expect(canReset(siteStateOf(site(over as Partial<SiteStateInput>)))).toBe(false);
    expect(canRestartProvisioning(siteStateOf(site({ status: 'OperationFailed' })))).toBe(true);
    expect(canRestartProvisioning(siteStateOf(site()))).toBe(false);
    expect(canRestartProvisioning(siteStateOf(site({ packageInstallStatus: 'InstallFailed' })))).toBe(false);
  });
});
