import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PowerPagesClient } from '../../../src/platform/power-pages/power-pages-client.ts';
import { type RunningSimulator, startSimulator } from '../../../src/simulator/simulator.ts';
import { failureOf } from '../../support/failure-of.ts';
import { simulatorTokens } from '../../support/simulator-token-provider.ts';

describe('the data model calls of the Power Pages client against the simulator', () => {
  let sim: RunningSimulator;
  let client: PowerPagesClient;
  let dev: string;
  const CONTOSO_DEV = '5e7e0001-0000-4000-8000-000000000001';

  beforeAll(async () => {
    sim = await startSimulator({ timeScale: 0.002 });
    dev = sim.world.findEnvironment('dev')!.id;
    client = new PowerPagesClient({
      baseUrl: sim.urls.powerPlatformApi,
      tokenProvider: simulatorTokens(sim),
      timeoutMs: 2_000,
      maxRetries: 1,
      maxBackoffMs: 20,
    });
  });
  afterAll(() => sim.close());

  it('refuses what the platform refuses, with its code', async () => {
    const events = '5e7e0007-0000-4000-8000-000000000007';
    expect(await failureOf(client.startDataModelMigration(dev, events, 'all'))).toMatchObject({
      code: 'conflict',
      platformCode: 'WebsiteAlreadyEnhanced',
    });
    const broken = '5e7e0002-0000-4000-8000-000000000002';
    expect(await failureOf(client.startDataModelMigration(dev, broken, 'all'))).toMatchObject({
      platformCode: 'InvalidWebsiteState',
    });
    // The switch before the records were migrated.
    expect(await failureOf(client.setDataModelVersion(dev, CONTOSO_DEV, true))).toMatchObject({
      code: 'bad_request',
      platformCode: 'DataModelMigrationNotCompleted',
    });
    expect((await client.getWebsite(dev, CONTOSO_DEV)).dataModel).toBe('Standard');
  });

  it('migrates (202 + Operation-Location, a second request refused while it runs), switches and switches back', async () => {
    const accepted = await client.startDataModelMigration(dev, CONTOSO_DEV, 'all');
    expect(accepted.operationUrl).toMatch(/\/operations\//);
    expect(await failureOf(client.startDataModelMigration(dev, CONTOSO_DEV, 'all'))).toMatchObject({
      platformCode: 'MigrationInProgress',
    });
    expect((await client.waitForOperation(accepted.operationUrl, { pollIntervalMs: 5 })).state).toBe(
      'succeeded',
    );
    await client.setDataModelVersion(dev, CONTOSO_DEV, true);
    expect((await client.getWebsite(dev, CONTOSO_DEV)).dataModel).toBe('Enhanced');
    const records = sim.world.records;
    const record = sim.world.sites.get(CONTOSO_DEV)!.websiteRecordId;
    expect(records.table(dev, 'adx_websites').get(record)).toMatchObject({ statecode: 1 });
    expect(records.table(dev, 'powerpagesites').get(record)).toMatchObject({ statecode: 0 });
    // pac's --revertToStandardDataModel: the standard record is used again.
    await client.setDataModelVersion(dev, CONTOSO_DEV, false);
    expect((await client.getWebsite(dev, CONTOSO_DEV)).dataModel).toBe('Standard');
    expect(records.table(dev, 'adx_websites').get(record)).toMatchObject({ statecode: 0 });
    expect(sim.world.dataModel.accepted[CONTOSO_DEV]).toBe(1);
  });
});
