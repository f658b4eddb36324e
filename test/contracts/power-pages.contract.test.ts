/**
 * The Power Pages admin API contract: the real samples parse with the client's own schema, the
 * documented enums are the ones PortalOps knows, and the simulator answers list, get, create,
 * poll and errors in the same shapes with only documented values.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DATA_MODELS,
  PACKAGE_INSTALL_STATUSES,
  SITE_VISIBILITIES,
  WEBSITE_STATUSES,
  WEBSITE_TYPES,
} from '../../src/domain/website.ts';
import { readOperation } from '../../src/platform/power-pages/operation-poll.ts';
import {
  errorBodySchema,
  parseWebsite,
  websiteDtoSchema,
  websiteListSchema,
} from '../../src/platform/power-pages/website-schema.ts';
import type { SimEnvironment } from '../../src/simulator/model.ts';
import type { RunningSimulator } from '../../src/simulator/simulator.ts';
import { API, type PowerPagesOverHttp, startPowerPagesOverHttp } from '../support/power-pages-over-http.ts';
import { waitUntil } from '../support/wait-until.ts';

const text = (name: string) =>
  readFileSync(new URL(`./samples/power-pages-api/${name}`, import.meta.url), 'utf8');
const sample = (name: string) => JSON.parse(text(name));

const enums = sample('websitedto.enums.schema-only.json');
const documented = {
  status: enums['WebsiteDto.status'] as string[],
  packageInstallStatus: enums['WebsiteDto.packageInstallStatus'] as string[],
  siteVisibility: enums['WebsiteDto.siteVisibility'] as string[],
  type: enums['WebsiteDto.type'] as string[],
  dataModel: enums['WebsiteDto.dataModel (observed, undocumented)'] as string[],
};
const documentedFields = Object.keys(enums['WebsiteDto fields (documented)'] as Record<string, string>);
const getSample = sample('website-get.2022-03-01-preview.response.json') as Record<string, unknown>;
const listSample = sample('websites-list.2022-03-01-preview.response.json');
const errorShape = sample('error-body.schema-and-codes.json');

/** Every enum field of a DTO holds a documented value. */
function expectDocumentedValues(dto: Record<string, unknown>): void {
  expect(documented.status, 'status').toContain(dto.status);
  expect(documented.packageInstallStatus, 'packageInstallStatus').toContain(dto.packageInstallStatus);
  expect(documented.siteVisibility, 'siteVisibility').toContain(dto.siteVisibility);
  expect(documented.type, 'type').toContain(dto.type);
  if (dto.dataModel !== undefined) expect(documented.dataModel, 'dataModel').toContain(dto.dataModel);
}

describe('Power Pages samples read with the client schema', () => {
  it('knows exactly the documented enum values', () => {
    expect([...WEBSITE_STATUSES].sort()).toEqual([...documented.status].sort());
    expect([...PACKAGE_INSTALL_STATUSES].sort()).toEqual([...documented.packageInstallStatus].sort());
    expect(documented.packageInstallStatus).toHaveLength(12);
    expect([...SITE_VISIBILITIES].sort()).toEqual([...documented.siteVisibility].sort());
    expect([...WEBSITE_TYPES].sort()).toEqual([...documented.type].sort());
    expect([...DATA_MODELS].sort()).toEqual([...documented.dataModel].sort());
  });

  it('parses the captured GET website, keeping every value as sent', () => {
    const parsed = parseWebsite(getSample);
    expect('website' in parsed).toBe(true);
    const website = (parsed as { website: unknown }).website as Record<string, unknown>;
    for (const field of [...documentedFields, 'dataModel'])
      expect(website[field], field).toEqual(getSample[field]);
    expectDocumentedValues(website);
  });

  it('parses the list envelope and each item in it', () => {
    const list = websiteListSchema.parse(listSample);
    expect(list.value).toHaveLength(1);
    for (const item of list.value) expect(websiteDtoSchema.safeParse(item).success).toBe(true);
  });

  it('keeps an unknown enum value verbatim and defaults missing optional fields', () => {
    const parsed = websiteDtoSchema.parse({
      id: 'x',
      status: 'OperationPaused',
      packageInstallStatus: 'InstallPaused',
      siteVisibility: 'Internal',
    });
    expect(parsed).toMatchObject({
      status: 'OperationPaused',
      packageInstallStatus: 'InstallPaused',
      siteVisibility: 'Internal',
      customHostNames: [],
      trialExpiringInDays: null,
      isCustomErrorEnabled: false,
    });
    expect(parsed.dataModel).toBeUndefined();
    expect(websiteDtoSchema.safeParse({ id: 'x', name: 42 }).success).toBe(false);
  });

  it('reads the documented error body', () => {
    expect(errorBodySchema.safeParse(errorShape.example_minimal).success).toBe(true);
    expect(errorBodySchema.safeParse({ error: errorShape.shape.error }).success).toBe(true);
  });

  it('reads the poll bodies the way Microsoft’s client does (operation-status-poll.inferred.md)', () => {
    expect(text('operation-status-poll.inferred.md')).toMatch(/body\.status \?\? body\.Status/);
    expect(readOperation({ status: 'Running' })).toEqual({ state: 'running', rawStatus: 'Running' });
    expect(readOperation({ Status: 'Succeeded' })).toEqual({ state: 'succeeded', rawStatus: 'Succeeded' });
    expect(readOperation({ status: 'Failed', error: { code: 'X', message: 'no' } })).toEqual({
      state: 'failed',
      rawStatus: 'Failed',
      error: { code: 'X', message: 'no' },
    });
    expect(readOperation({ Status: 'Failed', Error: { message: 'no' } }).error).toEqual({ message: 'no' });
    expect(readOperation({ status: 'Cancelled' }).state).toBe('running');
    expect(readOperation({}).state).toBe('running');
    expect(readOperation('not json').state).toBe('running');
  });
});

describe('the simulator answers in the samples’ shapes', () => {
  let api: PowerPagesOverHttp;
  let sim: RunningSimulator;
  let dev: SimEnvironment;
  let headers: Record<string, string>;
  const websites = (query = '') => api.websitesUrl(query);
  const get = async (url: string) => {
    const response = await fetch(url, { headers });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    api = await startPowerPagesOverHttp({ pageSize: 2 });
    ({ sim, dev, headers } = api);
  });
  afterAll(() => sim.close());

  it('lists websites in pages by `skip`, each a WebsiteDto with the sample’s fields and documented values', async () => {
    const items: Record<string, unknown>[] = [];
    let url: string | undefined = websites();
    const links: string[] = [];
    while (url) {
      const { status, body } = await get(url);
      expect(status).toBe(200);
      const page = websiteListSchema.parse(body);
      items.push(...(page.value as Record<string, unknown>[]));
      url = page['@odata.nextLink'] ?? undefined;
      if (url) links.push(url);
    }
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(new URL(link).searchParams.get('skip')).toMatch(/^\d+$/);
    const sampleFields = Object.keys(getSample)
      .filter((k) => !k.startsWith('@'))
      .sort();
    for (const item of items) {
      expect(Object.keys(item).sort(), String(item.subdomain)).toEqual(sampleFields);
      expect(websiteDtoSchema.safeParse(item).success).toBe(true);
      expectDocumentedValues(item);
    }
    // Both data models appear, and the failed, "Getting set up" and trial sites carry the API's values.
    expect(new Set(items.map((i) => i.dataModel))).toEqual(new Set(['Enhanced', 'Standard']));
    expect(items.find((i) => i.subdomain === 'contoso-broken')?.status).toBe('OperationFailed');
    expect(items.find((i) => i.subdomain === 'contoso-setup')?.packageInstallStatus).toBe('InstallFailed');
  });

  it('gets one website in the same shape, and answers a missing one with the error body', async () => {
    const { body } = await get(
      `${sim.baseUrl}/powerpages/environments/${dev.id}/websites/5e7e0001-0000-4000-8000-000000000001?${API}`,
    );
    expect(websiteDtoSchema.safeParse(body).success).toBe(true);
    expectDocumentedValues(body);
    const missing = await get(
      `${sim.baseUrl}/powerpages/environments/${dev.id}/websites/00000000-0000-4000-8000-000000000000?${API}`,
    );
    expect(missing.status).toBe(404);
    expect(errorBodySchema.parse(missing.body).error).toMatchObject({
      code: expect.any(String),
      message: expect.any(String),
    });
  });

  it('creates with 202 + Operation-Location and a poll body of status (and error) only', async () => {
    const create = (subdomain: string) => api.createWebsite(subdomain);
    const accepted = await create('contract-site');
    expect(accepted.status).toBe(202);
    expect(await accepted.text()).toBe('');
    const poll = accepted.headers.get('operation-location')!;
    expect(new URL(poll).protocol).toMatch(/^https?:$/);
    const first = await get(poll);
    expect(first.body).toEqual({ status: 'Running' });
    const done = await waitUntil(async () => {
      const { body } = await get(poll);
      return body.status === 'Succeeded' ? body : undefined;
    });
    expect(done).toEqual({ status: 'Succeeded' });

    sim.faults.failNextProvisioning({ subdomain: 'contract-fails', outcome: 'provisioning_failed' });
    const failing = (await create('contract-fails')).headers.get('operation-location')!;
    const failed = await waitUntil(async () => {
      const { body } = await get(failing);
      return body.status === 'Failed' ? body : undefined;
    });
    expect(Object.keys(failed).sort()).toEqual(['error', 'status']);
    expect(errorBodySchema.safeParse(failed).success).toBe(true);
    expect(readOperation(failed)).toMatchObject({ state: 'failed', error: { message: expect.any(String) } });

    const refused = await create('contract-site');
    expect(refused.status).toBe(400);
    expect(errorBodySchema.parse(await refused.json()).error.code).toBe('SubdomainNotAvailable');
  });
});
