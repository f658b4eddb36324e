import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentRegistry } from '../../../src/config/environment-registry.ts';
import { createDataverseFactory } from '../../../src/platform/dataverse/dataverse-factory.ts';
import { EnvironmentsClient } from '../../../src/platform/environments/environments-client.ts';
import { type RunningSimulator, startSimulator } from '../../../src/simulator/simulator.ts';
import { simulatorTokens } from '../../support/simulator-token-provider.ts';

describe('EnvironmentsClient against the simulator', () => {
  let sim: RunningSimulator;
  const http = { timeoutMs: 2_000, maxRetries: 2, maxBackoffMs: 20 };

  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.close());

  const environments = () => {
    const tokens = simulatorTokens(sim);
    const client = new EnvironmentsClient({
      registry: new EnvironmentRegistry(sim.environmentsRegistry()),
      bapBaseUrl: sim.urls.bapApi,
      tokenProvider: tokens,
      dataverse: createDataverseFactory({ tokenProvider: tokens, ...http }),
      ...http,
    });
    return { client, tokens };
  };

  it('resolves an alias to the organization, Dataverse URL and languages', async () => {
    const { client } = environments();
    const dev = await client.resolve('dev');
    expect(dev).toMatchObject({
      alias: 'dev',
      environmentId: sim.world.findEnvironment('dev')!.id,
      organizationId: sim.world.findEnvironment('dev')!.organizationId,
      dataverseUrl: sim.dataverseUrl('dev'),
      baseLanguage: 1033,
      installedLanguages: [1033, 1036, 1025, 3082, 1041],
      protected: false,
    });
    expect((await client.resolve('PROD')).protected).toBe(true);
  });

  it('answers from its cache the second time', async () => {
    const { client, tokens } = environments();
    await client.resolve('test');
    const calls = tokens.requests.length;
    await client.resolve('test');
    expect(tokens.requests.length).toBe(calls);
  });

  it('refuses an unknown alias with a suggestion', async () => {
    const { client } = environments();
    await expect(client.resolve('prd')).rejects.toMatchObject({
      code: 'unknown_environment',
      message: expect.stringContaining('prod'),
    });
  });
});
