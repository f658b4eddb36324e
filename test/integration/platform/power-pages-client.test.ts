import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PowerPagesClient } from '../../../src/platform/power-pages/power-pages-client.ts';
import { type RunningSimulator, startSimulator } from '../../../src/simulator/simulator.ts';
import { failureOf } from '../../support/failure-of.ts';
import { simulatorTokens } from '../../support/simulator-token-provider.ts';

describe('PowerPagesClient against the simulator', () => {
  let sim: RunningSimulator;
  let dev: string;
  const http = { timeoutMs: 2_000, maxRetries: 3, maxBackoffMs: 50 };

  const client = (tokens = simulatorTokens(sim), extra: Partial<typeof http> = {}) =>
    new PowerPagesClient({ baseUrl: sim.urls.powerPlatformApi, tokenProvider: tokens, ...http, ...extra });

  const createRequest = (subdomain: string) => ({
    dataverseOrganizationId: sim.world.findEnvironment('dev')!.organizationId,
    name: `Site ${subdomain}`,
    selectedBaseLanguage: 1033,
    subdomain,
    templateName: 'CustomerSelfServicePortal',
  });

  beforeAll(async () => {
    sim = await startSimulator({ timeScale: 0.002, pageSize: 2 });
    dev = sim.world.findEnvironment('dev')!.id;
  });
  afterEach(() => sim.faults.clear());
  afterAll(() => sim.close());

  it('lists every website of an environment, following @odata.nextLink pages', async () => {
    const tokens = simulatorTokens(sim);
    const sites = await client(tokens).listWebsites(dev);
    expect(sites.map((s) => s.subdomain)).toEqual(
      expect.arrayContaining(['contoso-dev', 'contoso-broken', 'contoso-setup']),
    );
    const broken = sites.find((s) => s.subdomain === 'contoso-broken')!;
    expect(broken).toMatchObject({
      status: 'OperationFailed',
      type: 'Trial',
      environmentId: dev,
      siteVisibility: 'private',
      dataModel: 'Standard',
    });
    expect(sites.find((s) => s.subdomain === 'contoso-setup')?.packageInstallStatus).toBe('InstallFailed');
    expect(sites.find((s) => s.subdomain === 'contoso-events')?.dataModel).toBe('Enhanced');
    expect(tokens.requests.length).toBeGreaterThanOrEqual(2);
    // Two sites a page: more than two sites means @odata.nextLink was followed.
    expect(sites.length).toBeGreaterThan(2);
  });

  it('keeps a status value it does not know verbatim instead of guessing a known one', async () => {
    const site = sim.world.sites.get('5e7e0001-0000-4000-8000-000000000001')!;
    const before = { status: site.status, packageInstallStatus: site.packageInstallStatus };
    site.status = 'OperationSuspended';
    site.packageInstallStatus = 'InstallPaused';
    try {
      expect(await client().getWebsite(dev, site.id)).toMatchObject({
        status: 'OperationSuspended',
        packageInstallStatus: 'InstallPaused',
      });
    } finally {
      Object.assign(site, before);
    }
  });

  it('sends one list request for concurrent askers, and a list after a create sees the new site', async () => {
    const api = client();
    const listRequests = () =>
      sim.requestLog.filter((r) => r.method === 'GET' && r.path.endsWith(`/environments/${dev}/websites`))
        .length;
    const beforeOne = listRequests();
    await api.listWebsites(dev);
    const perList = listRequests() - beforeOne;
    const before = listRequests();
    const lists = await Promise.all([api.listWebsites(dev), api.listWebsites(dev), api.listWebsites(dev)]);
    expect(listRequests() - before).toBe(perList);
    expect(lists[1]).toEqual(lists[0]);
    lists[0]![0]!.name = 'changed by one asker';
    lists[0]![0]!.customHostNames.push('changed.example.com');
    expect(lists[1]![0]!.name).not.toBe('changed by one asker');
    expect(lists[1]![0]!.customHostNames).not.toContain('changed.example.com');

    const inFlight = api.listWebsites(dev);
    const created = await api.createWebsite(dev, createRequest('seen-after-create'));
    await api.waitForOperation(created.operationUrl, { pollIntervalMs: 10 });
    await inFlight;
    expect((await api.listWebsites(dev)).map((s) => s.subdomain)).toContain('seen-after-create');
  });

  it('reads one website, and maps a missing one to not_found with the platform code', async () => {
    const [first] = await client().listWebsites(dev);
    const site = await client().getWebsite(dev, first!.id);
    expect(site.websiteRecordId).toBe(first!.websiteRecordId);
    await expect(client().getWebsite(dev, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      code: 'not_found',
      platformCode: 'WebsiteNotFound',
      status: 404,
    });
  });

  it('creates a site, follows the operation to the end and sees the package installed', async () => {
    const api = client();
    const accepted = await api.createWebsite(dev, createRequest('new-contract'));
    expect(accepted.operationUrl).toContain('/operations/');
    const polls: string[] = [];
    const operation = await api.waitForOperation(accepted.operationUrl, {
      pollIntervalMs: 10,
      onPoll: (op) => polls.push(op.rawStatus),
    });
    expect(operation).toEqual({ state: 'succeeded', rawStatus: 'Succeeded' });
    expect(polls[0]).toBe('Running');
    expect(polls.at(-1)).toBe('Succeeded');
    // The operation names no site: it is found in the list.
    const site = (await api.listWebsites(dev)).find((s) => s.subdomain === 'new-contract')!;
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await api.getWebsite(dev, site.id)).toMatchObject({
      status: 'OperationComplete',
      packageInstallStatus: 'Installed',
      dataModel: 'Enhanced',
    });
  });

  it('reads the poll in either casing and takes any status but Succeeded or Failed as running', async () => {
    const api = client();
    sim.world.operationPoll.statusKey = 'Status';
    sim.world.operationPoll.runningStatus = 'Accepted';
    sim.faults.failNextProvisioning({ subdomain: 'pascal-fails', outcome: 'provisioning_failed' });
    try {
      const accepted = await api.createWebsite(dev, createRequest('pascal-fails'));
      const polls: string[] = [];
      const operation = await api.waitForOperation(accepted.operationUrl, {
        pollIntervalMs: 10,
        onPoll: (op) => polls.push(`${op.state}:${op.rawStatus}`),
      });
      expect(polls[0]).toBe('running:Accepted');
      expect(operation).toMatchObject({
        state: 'failed',
        rawStatus: 'Failed',
        error: { code: 'ProvisioningFailed', message: 'Provisioning of the website failed.' },
      });
    } finally {
      sim.world.operationPoll.statusKey = 'status';
      sim.world.operationPoll.runningStatus = 'Running';
    }
  });

  it('stops waiting at the deadline with a retryable operation_deadline_passed', async () => {
    const api = client();
    const accepted = await api.createWebsite(dev, createRequest('slow-one'));
    await expect(
      api.waitForOperation(accepted.operationUrl, { pollIntervalMs: 10, timeoutMs: 5 }),
    ).rejects.toMatchObject({ code: 'operation_deadline_passed', retryable: true });
  });

  it('reports the platform’s validation errors as bad_request with their codes', async () => {
    const api = client();
    await expect(api.createWebsite(dev, createRequest('bad_name!'))).rejects.toMatchObject({
      code: 'bad_request',
      platformCode: 'InvalidSubdomain',
    });
    await expect(
      api.createWebsite(dev, { ...createRequest('arabic-site'), selectedBaseLanguage: 1025 }),
    ).rejects.toMatchObject({
      platformCode: 'LanguageNotSupported',
    });
    await expect(api.createWebsite(dev, createRequest('contoso-dev'))).rejects.toMatchObject({
      platformCode: 'SubdomainNotAvailable',
    });
  });

  it('maps a caller without System Administrator to forbidden', async () => {
    const carol = client(simulatorTokens(sim, 'carol@contoso.com'));
    await expect(carol.createWebsite(dev, createRequest('carols-site'))).rejects.toMatchObject({
      code: 'forbidden',
      platformCode: 'InsufficientPrivileges',
    });
  });

  it('deletes a site (202) and the site disappears when the operation ends', async () => {
    const api = client();
    const created = await api.createWebsite(dev, createRequest('to-delete'));
    await api.waitForOperation(created.operationUrl, { pollIntervalMs: 10 });
    const site = (await api.listWebsites(dev)).find((s) => s.subdomain === 'to-delete')!;
    const deleting = await api.deleteWebsite(dev, site.id);
    const finished = await api.waitForOperation(deleting!.operationUrl, { pollIntervalMs: 10 });
    expect(finished.state).toBe('succeeded');
    await expect(api.getWebsite(dev, site.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('accepts a delete answered 204 without an Operation-Location', async () => {
    const api = client();
    const created = await api.createWebsite(dev, createRequest('quiet-delete'));
    await api.waitForOperation(created.operationUrl, { pollIntervalMs: 10 });
    const site = (await api.listWebsites(dev)).find((s) => s.subdomain === 'quiet-delete')!;
    sim.world.deleteAnswer = 'no-content';
    try {
      expect(await api.deleteWebsite(dev, site.id)).toBeUndefined();
    } finally {
      sim.world.deleteAnswer = 'operation';
    }
  });

  it('maps a delete refused for the site app’s permission to missing_site_app_permission', async () => {
    sim.faults.failNextDelete({ kind: 'missing_permission' });
    const [site] = await client().listWebsites(dev);
    await expect(client().deleteWebsite(dev, site!.id)).rejects.toMatchObject({
      code: 'missing_site_app_permission',
    });
  });

  it('waits as long as a 429 Retry-After asks, within the cap, and then succeeds', async () => {
    sim.faults.add({ service: 'powerpages', method: 'GET', effect: { status: 429, retryAfterSeconds: 1 } });
    const started = Date.now();
    const sites = await client(simulatorTokens(sim), { maxBackoffMs: 2_000 }).listWebsites(dev);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(sites.length).toBeGreaterThan(0);
  });

  it('retries a burst of 503s, on POST too, because the platform did not take the request', async () => {
    sim.faults.add({ service: 'powerpages', method: 'POST', times: 2, effect: { status: 503 } });
    const accepted = await client().createWebsite(dev, createRequest('after-outage'));
    expect(accepted.operationUrl).toBeTruthy();
    expect(sim.world.stats.createsAccepted[`${dev}/after-outage`]).toBe(1);
  });

  it('gives up with a retryable throttled error when the platform keeps refusing', async () => {
    sim.faults.add({ service: 'powerpages', times: 10, effect: { status: 429, retryAfterSeconds: 0 } });
    await expect(client(simulatorTokens(sim), { maxRetries: 1 }).listWebsites(dev)).rejects.toMatchObject({
      code: 'throttled',
      retryable: true,
    });
  });

  it('retries a dropped connection on a read', async () => {
    sim.faults.add({ service: 'powerpages', method: 'GET', effect: { drop: true } });
    expect((await client().listWebsites(dev)).length).toBeGreaterThan(0);
  });

  it('does not resend a create whose connection dropped, and says the endpoint failed', async () => {
    sim.faults.add({ service: 'powerpages', method: 'POST', effect: { drop: true } });
    await expect(client().createWebsite(dev, createRequest('dropped-create'))).rejects.toMatchObject({
      code: 'endpoint_unreachable',
    });
  });

  it('renews an expired token once and carries on', async () => {
    const tokens = simulatorTokens(sim, 'alice@contoso.com', -10);
    const issue = tokens.getToken;
    tokens.getToken = async (scope, options) => {
      const token = await issue(scope, options);
      tokens.ttlSeconds = 3600;
      return token;
    };
    expect((await client(tokens).listWebsites(dev)).length).toBeGreaterThan(0);
    expect(tokens.requests.filter((r) => r.forceRefresh)).toHaveLength(1);
  });

  it('says token_expired when even a fresh token is refused as expired', async () => {
    await expect(
      client(simulatorTokens(sim, 'alice@contoso.com', -10)).listWebsites(dev),
    ).rejects.toMatchObject({
      code: 'token_expired',
    });
  });

  it('says endpoint_unreachable in one line for a closed port', async () => {
    const closed = new PowerPagesClient({
      baseUrl: 'http://127.0.0.1:9',
      tokenProvider: simulatorTokens(sim),
      ...http,
      maxRetries: 0,
    });
    const error = await failureOf(closed.listWebsites(dev));
    expect(error).toMatchObject({ code: 'endpoint_unreachable' });
    expect(error.message).toContain('127.0.0.1:9');
    expect(error.message).not.toContain('\n');
  });
});
