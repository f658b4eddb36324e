import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SimEnvironment } from '../../../src/simulator/model.ts';
import { readScenarioFile } from '../../../src/simulator/scenario-file.ts';
import type { RunningSimulator } from '../../../src/simulator/simulator.ts';
import { json } from '../../support/json.ts';
import {
  API,
  type PowerPagesOverHttp,
  startPowerPagesOverHttp,
} from '../../support/power-pages-over-http.ts';
import { makeTempDir } from '../../support/temp-dir.ts';
import { testClock } from '../../support/test-clock.ts';
import { waitUntil } from '../../support/wait-until.ts';

describe('simulator over HTTP', () => {
  let api: PowerPagesOverHttp;
  let sim: RunningSimulator;
  let dev: SimEnvironment;
  let headers: Record<string, string>;

  // Phases of 200 ms; a test that looks at a phase holds the simulator's clock still.
  const clock = testClock();
  beforeAll(async () => {
    api = await startPowerPagesOverHttp({ timeScale: 0.01, now: clock.now });
    ({ sim, dev, headers } = api);
  });
  afterEach(() => {
    sim.faults.clear();
    clock.release();
  });
  afterAll(() => sim.close());

  const websites = () => api.websitesUrl();
  const create = (subdomain: string, extra: Record<string, unknown> = {}) =>
    api.createWebsite(subdomain, extra);
  type Dto = {
    id: string;
    status: string;
    packageInstallStatus: string;
    websiteUrl: string;
    dataModel?: string;
  };
  const site = async (id: string) =>
    (await json(
      fetch(`${sim.baseUrl}/powerpages/environments/${dev.id}/websites/${id}?${API}`, { headers }),
    )) as Dto;
  /** The poll names no site: find it in the list by its subdomain, as a client must. */
  const listed = async (subdomain: string) =>
    ((await json(fetch(websites(), { headers }))).value as (Dto & { subdomain: string })[]).find(
      (s) => s.subdomain === subdomain,
    );

  it('moves a new site through OperationInProgress and the package install to OperationComplete/Installed, and serves it', async () => {
    clock.hold();
    const response = await create('lifecycle');
    expect(response.status).toBe(202);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    const operation = await json(fetch(response.headers.get('operation-location')!, { headers }));
    expect(operation).toEqual({ status: 'Running' });
    const created = (await listed('lifecycle'))!;
    expect(created).toMatchObject({
      status: 'OperationInProgress',
      packageInstallStatus: 'None',
      dataModel: 'Enhanced',
    });
    clock.advance(sim.world.duration('provisioningMs'));
    const provisioned = await site(created.id);
    expect(provisioned).toMatchObject({ status: 'OperationComplete', packageInstallStatus: 'Installing' });
    expect((await fetch(provisioned.websiteUrl)).status).toBe(503);
    clock.advance(sim.world.duration('packageInstallMs'));
    const done = await site(created.id);
    expect(done).toMatchObject({ status: 'OperationComplete', packageInstallStatus: 'Installed' });
    expect(await json(fetch(response.headers.get('operation-location')!, { headers }))).toEqual({
      status: 'Succeeded',
    });
    expect((await fetch(done.websiteUrl)).status).toBe(200);
  });

  it('plays scripted provisioning and package install failures', async () => {
    sim.faults.failNextProvisioning({ subdomain: 'fails-early', outcome: 'provisioning_failed' });
    sim.faults.failNextProvisioning({ subdomain: 'fails-late', outcome: 'package_install_failed' });
    const earlyPoll = (await create('fails-early')).headers.get('operation-location')!;
    await create('fails-late');
    const early = (await listed('fails-early'))!;
    const late = (await listed('fails-late'))!;
    const failed = await waitUntil(async () => {
      const s = await site(early.id);
      return s.status === 'OperationFailed' ? s : undefined;
    });
    expect(failed.packageInstallStatus).toBe('None');
    expect(await json(fetch(earlyPoll, { headers }))).toEqual({
      status: 'Failed',
      error: { code: 'ProvisioningFailed', message: expect.any(String) },
    });
    const stuck = await waitUntil(async () => {
      const s = await site(late.id);
      return s.packageInstallStatus === 'InstallFailed' ? s : undefined;
    });
    expect(stuck.status).toBe('OperationComplete');
    expect((await fetch(stuck.websiteUrl)).status).toBe(503);
  });

  it('answers the poll as Status/Error, with another running text, when a test asks', async () => {
    sim.world.operationPoll.statusKey = 'Status';
    sim.world.operationPoll.runningStatus = 'InProgress';
    sim.faults.failNextProvisioning({ subdomain: 'pascal-poll', outcome: 'provisioning_failed' });
    try {
      const poll = (await create('pascal-poll')).headers.get('operation-location')!;
      expect(await json(fetch(poll, { headers }))).toEqual({ Status: 'InProgress' });
      const ended = await waitUntil(async () => {
        const body = await json(fetch(poll, { headers }));
        return body.Status === 'Failed' ? body : undefined;
      });
      expect(ended.Error).toMatchObject({ code: 'ProvisioningFailed' });
    } finally {
      sim.world.operationPoll.statusKey = 'status';
      sim.world.operationPoll.runningStatus = 'Running';
    }
  });

  it('plays scripted delete failures: not submitted, failed job, missing permission', async () => {
    await create('delete-faults');
    const id = (await listed('delete-faults'))!.id;
    const url = `${sim.baseUrl}/powerpages/environments/${dev.id}/websites/${id}?${API}`;
    sim.faults.failNextDelete({ websiteId: id, kind: 'not_submitted' });
    const notSubmitted = await fetch(url, { method: 'DELETE', headers });
    expect(notSubmitted.status).toBe(500);
    expect((await json(notSubmitted)).error.code).toBe('InternalServerError');
    sim.faults.failNextDelete({ kind: 'missing_permission' });
    const refused = await fetch(url, { method: 'DELETE', headers });
    expect(refused.status).toBe(403);
    expect((await json(refused)).error.code).toBe('MissingSiteAppPermission');
    sim.faults.failNextDelete({ kind: 'transient' });
    const accepted = await fetch(url, { method: 'DELETE', headers });
    expect(accepted.status).toBe(202);
    const operation = await waitUntil(async () => {
      const op = await json(fetch(accepted.headers.get('operation-location')!, { headers }));
      return op.status === 'Failed' ? op : undefined;
    });
    expect(operation.error.code).toBe('InternalServerError');
    expect(sim.world.stats.deletesAccepted[id]).toBe(1);
  });

  it('can answer a delete with 204 and no Operation-Location; the site then leaves the list', async () => {
    await create('delete-quietly');
    const created = await waitUntil(async () => {
      const s = await listed('delete-quietly');
      return s?.packageInstallStatus === 'Installed' ? s : undefined;
    });
    sim.world.deleteAnswer = 'no-content';
    try {
      const url = `${sim.baseUrl}/powerpages/environments/${dev.id}/websites/${created.id}?${API}`;
      const answer = await fetch(url, { method: 'DELETE', headers });
      expect(answer.status).toBe(204);
      expect(answer.headers.get('operation-location')).toBeNull();
      expect((await listed('delete-quietly'))?.status).toBe('OperationInProgress');
      await waitUntil(async () => ((await listed('delete-quietly')) ? undefined : true));
    } finally {
      sim.world.deleteAnswer = 'operation';
    }
  });

  it('answers HTTP faults: an error with Retry-After, a slow answer and a dropped connection', async () => {
    sim.faults.add({ service: 'powerpages', effect: { status: 503, retryAfterSeconds: 4 } });
    const outage = await fetch(websites(), { headers });
    expect(outage.status).toBe(503);
    expect(outage.headers.get('retry-after')).toBe('4');
    sim.faults.add({ service: 'powerpages', effect: { delayMs: 150 } });
    const started = Date.now();
    expect((await fetch(websites(), { headers })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    sim.faults.add({ service: 'powerpages', effect: { drop: true } });
    await expect(fetch(websites(), { headers })).rejects.toThrow();
    expect((await fetch(websites(), { headers })).status).toBe(200);
  });

  it('checks tokens: none, wrong audience, expired, app token on the Power Pages API, missing api-version', async () => {
    expect((await fetch(websites())).status).toBe(401);
    const wrongAudience = sim.issueUserToken('alice@contoso.com', 'https://api.bap.microsoft.com');
    expect((await fetch(websites(), { headers: { Authorization: `Bearer ${wrongAudience}` } })).status).toBe(
      401,
    );
    const expired = sim.issueUserToken('alice@contoso.com', 'https://api.powerplatform.com', -5);
    const refused = await fetch(websites(), { headers: { Authorization: `Bearer ${expired}` } });
    expect((await json(refused)).error.code).toBe('ExpiredAuthenticationToken');
    const app = sim.issueAppToken('portalops-app', 'https://api.powerplatform.com');
    const forApp = await fetch(websites(), { headers: { Authorization: `Bearer ${app}` } });
    expect(forApp.status).toBe(403);
    expect((await json(forApp)).error.code).toBe('ServicePrincipalNotSupported');
    const noVersion = await fetch(`${sim.baseUrl}/powerpages/environments/${dev.id}/websites`, { headers });
    expect((await json(noVersion)).error.code).toBe('InvalidApiVersion');
  });

  it('refuses templates whose prerequisite solutions are missing', async () => {
    const test = sim.world.findEnvironment('test')!;
    const response = await fetch(`${sim.baseUrl}/powerpages/environments/${test.id}/websites?${API}`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        dataverseOrganizationId: test.organizationId,
        name: 'Field',
        selectedBaseLanguage: 1033,
        subdomain: 'field-partners',
        templateName: 'FieldService',
      }),
    });
    expect(response.status).toBe(400);
    const body = await json(response);
    expect(body.error.code).toBe('MissingPrerequisiteSolution');
    expect(body.error.message).toContain('Field Service');
  });

  it('describes an environment through the environment lookup', async () => {
    const token = sim.issueAppToken('portalops-app', 'https://api.bap.microsoft.com');
    const response = await fetch(
      `${sim.baseUrl}/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments/${dev.id}?api-version=2021-04-01`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    const body = await json(response);
    expect(body.properties.linkedEnvironmentMetadata).toMatchObject({
      instanceUrl: `${sim.dataverseUrl('dev')}/`,
      resourceId: dev.organizationId,
      baseLanguage: 1033,
    });
  });
});

describe('scenario files', () => {
  it('reports what is wrong with a malformed scenario', () => {
    const temp = makeTempDir();
    try {
      const file = path.join(temp.dir, 'broken.yml');
      writeFileSync(file, 'name: broken\ntenants: []\nenvironments: []\nusers: []\n');
      expect(() => readScenarioFile(file)).toThrowError(/broken\.yml is not a valid scenario: tenants/);
      writeFileSync(file, 'name: [unclosed');
      expect(() => readScenarioFile(file)).toThrowError(/not valid YAML/);
      expect(() => readScenarioFile(path.join(temp.dir, 'missing.yml'))).toThrowError(/cannot be read/);
    } finally {
      temp.remove();
    }
  });
});
