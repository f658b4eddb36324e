import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { siteKeyOf } from '../../../src/domain/job.ts';
import { guidanceFor } from '../../../src/guidance/catalog.ts';
import type { ProvisionParams } from '../../../src/jobs/kinds/index.ts';
import { listSnapshots } from '../../../src/snapshots/site-snapshot.ts';
import { type LifecycleHarness, startLifecycleHarness } from '../../support/lifecycle-harness.ts';

const alice = { id: 'alice@contoso.com', displayName: 'Alice Admin' };

describe('lifecycle job kinds against the simulator', () => {
  let h: LifecycleHarness;

  beforeEach(async () => {
    h = await startLifecycleHarness();
  });
  afterEach(() => h.close());

  const provision = (overrides: Partial<ProvisionParams> = {}) => {
    const params: ProvisionParams = {
      environment: 'dev',
      name: 'Partner hub',
      subdomain: 'partner-hub',
      audience: 'partner',
      templateId: 'PartnerPortal',
      siteAdministrator: 'alice@contoso.com',
      requesterUpn: 'alice@contoso.com',
      ...overrides,
    };
    return h.engine.submit({
      kind: 'provision',
      params: { ...params },
      requester: alice,
      siteKey: siteKeyOf(h.env('dev').id, params.subdomain),
    });
  };

  const siteJob = (kind: string, site: string, extra: Record<string, unknown> = {}, environment = 'dev') =>
    h.engine.submit({
      kind,
      params: { environment, site, requesterUpn: 'alice@contoso.com', ...extra },
      requester: alice,
      siteKey: siteKeyOf(h.env(environment).id, site),
    });

  const audit = (jobId: string) => h.store.readAudit({ subject: `job:${jobId}` }).map((a) => a.action);

  it('provisions a site: validated, submitted once, provisioned, installed, answering', async () => {
    const job = await provision();
    const done = await h.finished(job.id);
    expect(done.state).toBe('succeeded');
    expect(done.steps.map((s) => s.status)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
    ]);
    expect(done.result?.websiteUrl).toMatch(/\/sites\/partner-hub$/);
    expect(h.sim.world.stats.createsAccepted[`${h.env('dev').id}/partner-hub`]).toBe(1);
    const site = [...h.sim.world.sites.values()].find((s) => s.subdomain === 'partner-hub')!;
    expect(site).toMatchObject({
      status: 'OperationComplete',
      packageInstallStatus: 'Installed',
      selectedBaseLanguage: 1033,
    });
    expect(audit(job.id)).toEqual(['job.created', 'job.running', 'job.succeeded']);
  });

  it('reports every problem of a request at once, each with its field and fix, and submits nothing', async () => {
    const job = await provision({
      subdomain: 'Partner Hub!',
      languageLcid: 1025,
      audience: 'employee',
      templateId: 'FieldService',
      siteAdministrator: 'carol@contoso.com',
      environment: 'test',
    });
    const done = await h.finished(job.id);
    expect(done.state).toBe('failed');
    expect(done.lastError?.code).toBe('validation_failed');
    const problems = done.lastError?.details?.problems as { field: string; code: string; fix: string }[];
    expect(problems.map((p) => p.code)).toEqual([
      'subdomain_invalid',
      'language_not_supported',
      'template_not_for_audience',
      'prerequisite_missing',
      'administrator_not_admin',
    ]);
    expect(problems.find((p) => p.field === 'subdomain')?.fix).toContain('partner-hub');
    expect(Object.keys(h.sim.world.stats.createsAccepted)).toEqual([]);
    expect(guidanceFor(done.lastError!.code).actions).toContain('change_values');
  });

  it('refuses a requester without System Administrator', async () => {
    const job = await provision({ requesterUpn: 'carol@contoso.com', subdomain: 'carol-site' });
    const done = await h.finished(job.id);
    expect(((done.lastError?.details?.problems ?? []) as { field: string }[]).map((p) => p.field)).toEqual([
      'requester',
    ]);
  });

  it('fails with provisioning_failed when the platform cannot provision, offering a restart', async () => {
    h.sim.faults.failNextProvisioning({ subdomain: 'partner-hub', outcome: 'provisioning_failed' });
    const done = await h.finished((await provision()).id);
    expect(done.state).toBe('failed');
    expect(done.lastError).toMatchObject({ code: 'provisioning_failed', stepId: 'provisioning' });
    expect(guidanceFor('provisioning_failed').actions).toEqual(['restart_provisioning', 'change_values']);
    expect(h.store.readAudit({ action: 'job.failed' })[0]?.details).toMatchObject({
      code: 'provisioning_failed',
    });
  });

  it('fails with package_install_failed when the site stays "Getting set up"', async () => {
    h.sim.faults.failNextProvisioning({ subdomain: 'partner-hub', outcome: 'package_install_failed' });
    const done = await h.finished((await provision()).id);
    expect(done.lastError).toMatchObject({ code: 'package_install_failed', stepId: 'package' });
  });

  it('restarts the provisioning of a failed site with its own values and website record', async () => {
    const broken = h.sim.world.sites.get('5e7e0002-0000-4000-8000-000000000002')!;
    const done = await h.finished((await siteJob('restart-provisioning', 'contoso-broken')).id);
    expect(done.state).toBe('succeeded');
    const site = [...h.sim.world.sites.values()].find((s) => s.subdomain === 'contoso-broken')!;
    expect(site).toMatchObject({
      status: 'OperationComplete',
      websiteRecordId: broken.websiteRecordId,
      templateName: 'PartnerPortal',
    });
  });

  it('refuses to restart the provisioning of a site that did not fail', async () => {
    const done = await h.finished((await siteJob('restart-provisioning', 'contoso-dev')).id);
    expect(done.lastError?.code).toBe('site_state_conflict');
    expect(Object.keys(h.sim.world.stats.createsAccepted)).toEqual([]);
  });

  it('changes the values of a failed site, validating them again', async () => {
    const bad = await h.finished(
      (await siteJob('change-and-restart', 'contoso-broken', { changes: { subdomain: 'contoso-dev' } })).id,
    );
    expect(bad.lastError?.code).toBe('validation_failed');
    const good = await h.finished(
      (
        await siteJob('change-and-restart', 'contoso-broken', {
          changes: { name: 'Contoso Partners', languageLcid: 1036 },
        })
      ).id,
    );
    expect(good.state).toBe('succeeded');
    const site = [...h.sim.world.sites.values()].find((s) => s.subdomain === 'contoso-broken')!;
    expect(site).toMatchObject({
      name: 'Contoso Partners',
      selectedBaseLanguage: 1036,
      status: 'OperationComplete',
    });
  });

  it('resets a configured site: snapshot first, then the hosted site is deleted once', async () => {
    const site = h.sim.world.sites.get('5e7e0001-0000-4000-8000-000000000001')!;
    const done = await h.finished((await siteJob('reset', 'contoso-dev')).id);
    expect(done.state).toBe('succeeded');
    expect(done.steps.map((s) => s.id)).toEqual(['locate', 'snapshot', 'delete']);
    expect(h.sim.world.sites.has(site.id)).toBe(false);
    expect(h.sim.world.stats.deletesAccepted[site.id]).toBe(1);
    const [snapshot] = listSnapshots(h.store, 'contoso-dev');
    expect(snapshot?.id).toBe(done.result?.snapshotId);
    // The snapshot is a pac folder.
    const website = parse(readFileSync(path.join(snapshot!.path, 'website.yml'), 'utf8'));
    expect(website).toMatchObject({ adx_websiteid: site.websiteRecordId, adx_name: 'Contoso Dev' });
    expect(existsSync(path.join(snapshot!.path, 'snapshot.json'))).toBe(true);
    expect(h.sim.world.records.table(h.env('dev').id, 'adx_websites').has(site.websiteRecordId)).toBe(true);
  });

  it('resets a site whose provisioning failed and provisions it again on the same record', async () => {
    const broken = h.sim.world.sites.get('5e7e0002-0000-4000-8000-000000000002')!;
    const done = await h.finished((await siteJob('reset', 'contoso-broken', { reprovision: true })).id);
    expect(done.state).toBe('succeeded');
    const again = [...h.sim.world.sites.values()].find((s) => s.subdomain === 'contoso-broken')!;
    expect(again).toMatchObject({ status: 'OperationComplete', websiteRecordId: broken.websiteRecordId });
    expect(done.result).toMatchObject({
      snapshotId: expect.any(String),
      websiteUrl: expect.stringContaining('contoso-broken'),
    });
  });

  it('fails a reset the site’s Entra app may not do, with guidance to involve a global admin', async () => {
    h.sim.faults.failNextDelete({ kind: 'missing_permission' });
    const done = await h.finished((await siteJob('reset', 'contoso-dev')).id);
    expect(done.lastError).toMatchObject({ code: 'missing_site_app_permission', stepId: 'delete' });
    expect(guidanceFor('missing_site_app_permission').actions).toContain('contact_global_admin');
  });

  it('retries a reset request that was not submitted, and fails with reset_not_submitted when it never is', async () => {
    h.sim.faults.failNextDelete({ kind: 'not_submitted' });
    const once = await h.finished((await siteJob('reset', 'contoso-dev')).id);
    expect(once.state).toBe('succeeded');
    expect(once.steps.find((s) => s.id === 'delete')?.attempts).toBe(2);

    for (let i = 0; i < 3; i++) h.sim.faults.failNextDelete({ kind: 'not_submitted' });
    const never = await h.finished((await siteJob('reset', 'contoso-setup')).id);
    expect(never.lastError?.code).toBe('reset_not_submitted');
  });

  it('submits the delete again when the reset job failed at the platform', async () => {
    const site = h.sim.world.sites.get('5e7e0001-0000-4000-8000-000000000001')!;
    h.sim.faults.failNextDelete({ kind: 'transient' });
    const done = await h.finished((await siteJob('reset', 'contoso-dev')).id);
    expect(done.state).toBe('succeeded');
    expect(h.sim.world.stats.deletesAccepted[site.id]).toBe(2);
  });

  it('refuses a reset of a site that is still provisioning', async () => {
    const created = await provision({ subdomain: 'in-flight' });
    await h.finished(created.id);
    const site = [...h.sim.world.sites.values()].find((s) => s.subdomain === 'in-flight')!;
    site.status = 'OperationInProgress';
    site.phaseEndsAt = Date.now() + 60_000;
    const done = await h.finished((await siteJob('reset', 'in-flight')).id);
    expect(done.lastError?.code).toBe('site_state_conflict');
  });
  it('stops a reset before deleting anything when the snapshot captured no configuration', async () => {
    const events = h.sim.world.sites.get('5e7e0007-0000-4000-8000-000000000007')!;
    expect(events.dataModel).toBe('Enhanced');
    // Its website record (an enhanced one) holds no configuration at all.
    h.sim.world.records.table(events.environmentId, 'powerpagesites').delete(events.websiteRecordId);
    const done = await h.finished((await siteJob('reset', 'contoso-events')).id);
    expect(done.state).toBe('failed');
    expect(done.lastError).toMatchObject({ code: 'snapshot_empty', stepId: 'snapshot', retryable: false });
    expect(done.lastError?.message).toMatch(
      /found no configuration rows, so the reset stopped before anything was deleted/,
    );
    expect(listSnapshots(h.store, 'contoso-events')).toEqual([]);
    expect(guidanceFor('snapshot_empty').steps.join(' ')).toMatch(/enhanced-data-model/);
    expect(h.sim.world.stats.deletesAccepted[events.id]).toBeUndefined();
    expect(h.sim.world.sites.has(events.id)).toBe(true);
  });

  it('provisions through a poll that answers Status and an unexpected running text', async () => {
    h.sim.world.operationPoll.statusKey = 'Status';
    h.sim.world.operationPoll.runningStatus = 'NotStarted';
    const done = await h.finished((await provision({ subdomain: 'pascal-site' })).id);
    expect(done.state).toBe('succeeded');
    expect(done.steps.find((s) => s.id === 'provisioning')?.output).toMatchObject({
      websiteId: [...h.sim.world.sites.values()].find((s) => s.subdomain === 'pascal-site')!.id,
    });
  });

  it('resets through a delete answered 204 without Operation-Location, waiting until the site leaves the list', async () => {
    const site = h.sim.world.sites.get('5e7e0001-0000-4000-8000-000000000001')!;
    h.sim.world.deleteAnswer = 'no-content';
    const done = await h.finished((await siteJob('reset', 'contoso-dev')).id);
    expect(done.state).toBe('succeeded');
    expect(h.sim.world.sites.has(site.id)).toBe(false);
    expect(h.sim.world.stats.deletesAccepted[site.id]).toBe(1);
  });

  it('fails a step whose deadline passed with a retryable, explained error instead of polling forever', async () => {
    h.deps.deadlines = { provisioningMs: 1 };
    // This provisioning takes a minute, far past the deadline.
    const world = h.sim.world;
    const createSite = world.createSite.bind(world);
    world.createSite = (environment, request) => {
      const created = createSite(environment, request);
      created.site.phaseEndsAt = Date.now() + 60_000;
      created.operation.endsAt = Date.now() + 60_000;
      return created;
    };
    const job = await provision({ subdomain: 'too-slow' });
    const done = await h.finished(job.id);
    expect(done.lastError).toMatchObject({
      code: 'operation_deadline_passed',
      retryable: true,
      stepId: 'provisioning',
    });
    expect(done.lastError?.message).toMatch(/did not finish provisioning within 0 minutes.*retry the job/);
    expect(guidanceFor('operation_deadline_passed').actions).toContain('retry');
    expect(h.sim.world.stats.createsAccepted[`${h.env('dev').id}/too-slow`]).toBe(1);
  });
});
