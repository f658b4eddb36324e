import { describe, expect, it } from 'vitest';
import { alertView } from '../../../src/alerts/alert-view.ts';
import type { AlertRecord } from '../../../src/domain/alert.ts';

const alert = (over: Partial<AlertRecord> = {}): AlertRecord => ({
  id: 'env/site/provisioning_failed/1',
  key: 'env/site/provisioning_failed',
  condition: 'provisioning_failed',
  environment: 'dev',
  environmentId: 'env',
  subdomain: 'contoso-broken',
  siteName: 'Contoso Broken',
  state: 'open',
  detectedAt: '2026-12-01T09:00:00.000Z',
  actions: [],
  messages: [],
  ...over,
});

const labels = (a: AlertRecord, job?: Parameters<typeof alertView>[1]) => {
  const view = alertView(a, job);
  return view.type === 'alert' ? view.buttons.map((b) => b.label) : [];
};

describe('the buttons of an alert card', () => {
  it('offers the fixes, Acknowledge and Snooze while nobody acted', () => {
    expect(labels(alert())).toEqual([
      'Restart provisioning',
      'Change values and restart',
      'Acknowledge',
      'Snooze 1 day',
    ]);
  });

  it('stops offering Acknowledge and Snooze once acknowledged or snoozed', () => {
    const fixes = ['Restart provisioning', 'Change values and restart'];
    expect(labels(alert({ state: 'acknowledged' }))).toEqual(fixes);
    expect(labels(alert({ state: 'snoozed', snoozedUntil: '2026-12-02T09:00:00.000Z' }))).toEqual(fixes);
  });

  it('offers nothing while the job started from it runs, or once resolved', () => {
    const running = { id: 'J-1', title: 't', state: 'running', percent: 40, requester: 'a' };
    expect(labels(alert({ state: 'acknowledged', jobId: 'J-1' }), running)).toEqual([]);
    expect(labels(alert({ state: 'resolved', resolvedAt: '2026-12-01T10:00:00.000Z' }))).toEqual([]);
  });
});
