import { describe, expect, it } from 'vitest';
import { conditionsOf } from '../../../src/alerts/alert.ts';
import type { Website } from '../../../src/domain/website.ts';
import { parseIntent } from '../../../src/intents/parser.ts';

const site = (over: Partial<Website>): Website =>
  ({
    id: 's',
    status: 'OperationComplete',
    packageInstallStatus: 'Installed',
    type: 'Production',
    trialExpiringInDays: null,
    suspendedWebsiteDeletingInDays: null,
    ...over,
  }) as Website;

describe('alert conditions of a site', () => {
  it.each([
    [{ status: 'OperationFailed' }, ['provisioning_failed']],
    [{ status: 'OperationFailed', packageInstallStatus: 'InstallFailed' }, ['provisioning_failed']],
    [{ packageInstallStatus: 'InstallFailed' }, ['package_install_failed']],
    [
      { type: 'Trial', trialExpiringInDays: 0, suspendedWebsiteDeletingInDays: 3 },
      ['site_suspended', 'deletion_pending'],
    ],
    [{ type: 'Trial', trialExpiringInDays: -2, suspendedWebsiteDeletingInDays: 30 }, ['site_suspended']],
    [{ type: 'Trial', trialExpiringInDays: 5 }, ['trial_expiring']],
    [{ type: 'Trial', trialExpiringInDays: 20 }, []],
    // A production site's countdown field alone says nothing: no suspension is derived from it.
    [{ suspendedWebsiteDeletingInDays: 3 }, []],
    [{ status: 'OperationInProgress' }, []],
    // A value PortalOps does not know is not guessed into an alert.
    [{ status: 'OperationSuspended' }, []],
    [{}, []],
  ] as [Partial<Website>, string[]][])('%o → %o', (over, expected) => {
    expect(conditionsOf(site(over), { warnDays: 7 })).toEqual(expected);
  });
});

describe('alert subscriptions in chat', () => {
  const ctx = { environments: ['dev', 'test', 'prod'] };
  it.each([
    ['subscribe this channel to prod alerts', { kind: 'subscribe', environment: 'prod', conditions: [] }],
    [
      'subscribe to provisioning failures in dev',
      { kind: 'subscribe', environment: 'dev', conditions: ['provisioning_failed'] },
    ],
    [
      'subscribe us to failures in production',
      {
        kind: 'subscribe',
        environment: 'prod',
        conditions: ['provisioning_failed', 'package_install_failed', 'job_failed'],
      },
    ],
    [
      'subscribe to trial alerts for test',
      { kind: 'subscribe', environment: 'test', conditions: ['trial_expiring'] },
    ],
    ['unsubscribe from prod alerts', { kind: 'unsubscribe', environment: 'prod' }],
    ['unsubscribe', { kind: 'unsubscribe' }],
    ['alerts', { kind: 'alerts' }],
    ['show alerts', { kind: 'alerts' }],
  ])('%s', (text, expected) => {
    expect(parseIntent(text, ctx)).toEqual(expected);
  });
});
