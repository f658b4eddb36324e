/**
 * The environment lookup client's schema against the saved BAP samples (a published capture and
 * Terraform's recorded list), the simulator's answers against the same schema, and the client
 * reading a real sample served on loopback — so neither side drifts from the real shape.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentRegistry } from '../../src/config/environment-registry.ts';
import {
  bapEnvironmentListSchema,
  bapEnvironmentSchema,
} from '../../src/platform/environments/bap-environment-schema.ts';
import {
  BAP_API_VERSION,
  BAP_SCOPE,
  EnvironmentsClient,
} from '../../src/platform/environments/environments-client.ts';
import type { Dataverse } from '../../src/platform/ports.ts';
import { type RunningSimulator, startSimulator } from '../../src/simulator/simulator.ts';
import { failureOf } from '../support/failure-of.ts';
import { simulatorTokens } from '../support/simulator-token-provider.ts';

const SAMPLES = path.join(import.meta.dirname, 'samples', 'bap');
const sample = (name: string) => readFileSync(path.join(SAMPLES, name), 'utf8');
const sampleJson = (name: string) => JSON.parse(sample(name)) as Record<string, unknown>;
const http = { timeoutMs: 2_000, maxRetries: 0, maxBackoffMs: 10 };
const ADMIN_PATH = '/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments';

describe('BAP samples parse with the client schema', () => {
  it('reads the published environment: organization id, Dataverse URLs, language, tenant', () => {
    const env = bapEnvironmentSchema.parse(sampleJson('environment.get.cli-m365-docs.json'));
    expect(env.name).toBe('Default-e1dd4023-a656-480a-8a0e-c1b1eec51e1d');
    expect(env.properties).toMatchObject({
      tenantId: 'e1dd4023-a656-480a-8a0e-c1b1eec51e1d',
      displayName: 'contoso (default)',
      linkedEnvironmentMetadata: {
        resourceId: '5041ef46-5a1c-4a0f-a185-6bb49b5c6686',
        uniqueName: 'unq5041ef465a1c4a0fa1856bb49b5c6',
        domainName: 'org6633049a',
        instanceUrl: 'https://org6633049a.crm4.dynamics.com/',
        instanceApiUrl: 'https://org6633049a.api.crm4.dynamics.com',
        baseLanguage: 1033,
      },
    });
  });

  it('reads the recorded admin list', () => {
    const list = bapEnvironmentListSchema.parse(sampleJson('environments.list.terraform-recorded.json'));
    expect(list.value.length).toBeGreaterThan(0);
    expect(list.value[0]!.properties.linkedEnvironmentMetadata).toMatchObject({
      resourceId: '6450637c-f9a8-4988-8cf7-b03723d51ab7',
      baseLanguage: 1033,
    });
  });

  it('asks for the token audience a real client uses for BAP', () => {
    const clients = sample('requests-and-token-scopes.md');
    expect(clients).toContain(BAP_SCOPE);
  });
});

describe('the simulator answers the environment lookup in the same shape', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.close());

  const get = async (pathName: string, audience = 'https://service.powerapps.com') => {
    const response = await fetch(`${sim.urls.bapApi}${pathName}?api-version=${BAP_API_VERSION}`, {
      headers: { Authorization: `Bearer ${sim.issueUserToken('alice@contoso.com', audience)}` },
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  it('one environment', async () => {
    const dev = sim.world.findEnvironment('dev')!;
    const { status, body } = await get(`${ADMIN_PATH}/${dev.id}`);
    expect(status).toBe(200);
    const env = bapEnvironmentSchema.parse(body);
    expect(env.properties.linkedEnvironmentMetadata).toMatchObject({
      resourceId: dev.organizationId,
      instanceUrl: `${sim.dataverseUrl('dev')}/`,
      baseLanguage: dev.baseLanguage,
    });
  });

  it('the list, for both audiences real clients send', async () => {
    for (const audience of ['https://service.powerapps.com', 'https://api.bap.microsoft.com']) {
      const { status, body } = await get(ADMIN_PATH, audience);
      expect(status).toBe(200);
      expect(
        bapEnvironmentListSchema
          .parse(body)
          .value.map((e) => e.name)
          .sort(),
      ).toEqual(
        sim
          .environmentsRegistry()
          .map((e) => e.environmentId)
          .sort(),
      );
    }
  });

  it('refuses a token for another service', async () => {
    const dev = sim.world.findEnvironment('dev')!;
    expect((await get(`${ADMIN_PATH}/${dev.id}`, 'https://api.powerplatform.com')).status).toBe(401);
  });

  it('the client resolves through the simulator with a token for the PowerApps service', async () => {
    const tokens = simulatorTokens(sim);
    const client = new EnvironmentsClient({
      registry: new EnvironmentRegistry(sim.environmentsRegistry()),
      bapBaseUrl: sim.urls.bapApi,
      tokenProvider: tokens,
      dataverse: () => ({ provisionedLanguages: async () => [1033] }) as unknown as Dataverse,
      ...http,
    });
    await client.resolve('dev');
    expect(tokens.requests.map((r) => r.scope)).toEqual(['https://service.powerapps.com/.default']);
  });
});

describe('the client reads a real BAP answer served on loopback', () => {
  let server: Server;
  let baseUrl: string;
  let answer: unknown;
  const environmentId = 'Default-e1dd4023-a656-480a-8a0e-c1b1eec51e1d';

  beforeAll(async () => {
    server = createServer((req, res) => {
      const ok = req.url?.startsWith(`${ADMIN_PATH}/${environmentId}?api-version=${BAP_API_VERSION}`);
      res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ok ? answer : { error: { code: 'EnvironmentNotFound', message: 'no' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const client = () => {
    const dataverseUrls: string[] = [];
    const environments = new EnvironmentsClient({
      registry: new EnvironmentRegistry([
        {
          alias: 'default',
          displayName: 'Contoso default',
          environmentId,
          dataverseUrl: 'https://org6633049a.crm4.dynamics.com',
          tenantId: 'e1dd4023-a656-480a-8a0e-c1b1eec51e1d',
          protected: false,
        },
      ]),
      bapBaseUrl: baseUrl,
      tokenProvider: { getToken: async () => ({ token: 'x.y.z', expiresOn: Date.now() + 3_600_000 }) },
      dataverse: (url) => {
        dataverseUrls.push(url);
        return { provisionedLanguages: async () => [1033, 1031] } as unknown as Dataverse;
      },
      ...http,
    });
    return { environments, dataverseUrls };
  };

  it('maps the capture to the organization, Dataverse URL and base language', async () => {
    answer = sampleJson('environment.get.cli-m365-docs.json');
    const { environments, dataverseUrls } = client();
    expect(await environments.resolve('default')).toMatchObject({
      organizationId: '5041ef46-5a1c-4a0f-a185-6bb49b5c6686',
      dataverseUrl: 'https://org6633049a.crm4.dynamics.com',
      baseLanguage: 1033,
      installedLanguages: [1033, 1031],
      displayName: 'contoso (default)',
    });
    expect(dataverseUrls).toEqual(['https://org6633049a.crm4.dynamics.com']);
  });

  it('says which field is wrong when the answer does not fit', async () => {
    const broken = sampleJson('environment.get.cli-m365-docs.json') as {
      properties: { linkedEnvironmentMetadata: Record<string, unknown> };
    };
    delete broken.properties.linkedEnvironmentMetadata.resourceId;
    answer = broken;
    const error = await failureOf(client().environments.resolve('default'));
    expect(error.code).toBe('platform_error');
    expect(error.message).toContain('properties.linkedEnvironmentMetadata.resourceId');
  });

  it('explains an environment without a Dataverse database', async () => {
    const withoutDatabase = sampleJson('environment.get.cli-m365-docs.json') as {
      properties: Record<string, unknown>;
    };
    delete withoutDatabase.properties.linkedEnvironmentMetadata;
    answer = withoutDatabase;
    const error = await failureOf(client().environments.resolve('default'));
    expect(error.code).toBe('not_found');
    expect(error.message).toMatch(/no Dataverse database/);
  });
});
