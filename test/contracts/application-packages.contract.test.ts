/**
 * The application package client's schemas against the saved Power Platform API samples, and
 * the simulator's answers against the same schemas, so neither drifts from the real shapes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminCenterEnvironmentUrl,
  INSTANCE_PACKAGE_STATES,
  PACKAGE_OPERATION_STATUSES,
} from '../../src/domain/application-package.ts';
import {
  applicationPackageListSchema,
  errorReasonOf,
  instancePackageSchema,
  packageOperationSchema,
} from '../../src/platform/application-packages/application-package-schema.ts';
import {
  APP_MANAGEMENT_API_VERSION,
  ApplicationPackagesClient,
} from '../../src/platform/application-packages/application-packages-client.ts';
import { type RunningSimulator, startSimulator } from '../../src/simulator/simulator.ts';
import { failureOf } from '../support/failure-of.ts';
import { simulatorTokens } from '../support/simulator-token-provider.ts';

const SAMPLES = path.join(import.meta.dirname, 'samples', 'power-platform-api');
const sample = (name: string) => readFileSync(path.join(SAMPLES, name), 'utf8');
const sampleJson = (name: string) => JSON.parse(sample(name)) as Record<string, unknown>;

describe('application package samples parse with the client schemas', () => {
  it('reads the documented list entry: unique name, state, no instance package yet', () => {
    const list = applicationPackageListSchema.parse(
      sampleJson('application-packages.list.tutorial-2022-03-01-preview.json'),
    );
    expect(list.value).toEqual([
      expect.objectContaining({
        uniqueName: 'Office365Groups',
        state: 'None',
        instancePackageId: null,
        applicationVisibility: 'All',
        localizedName: 'Office 365 Groups',
      }),
    ]);
  });

  it('finds the operation to follow in the documented 200 install answer', () => {
    const body = instancePackageSchema.parse(
      sampleJson('application-package-install.response-200.tutorial.json'),
    );
    expect(body.lastOperation?.operationId).toBe('4fde996a-bf68-413c-b2bf-33f21a7e9afb');
    expect(body.lastOperation?.state).toBe('InstallRequested');
  });

  it('reads both recorded operation polls', () => {
    expect(
      packageOperationSchema.parse(sampleJson('operation-status.notstarted.tutorial.json')),
    ).toMatchObject({
      status: 'NotStarted',
      operationId: '523b51a8-6af4-40cd-aa7d-86bddfa6697b',
      lastActionDateTime: '',
    });
    expect(
      packageOperationSchema.parse(sampleJson('operation-status.succeeded.terraform-recorded.json')),
    ).toMatchObject({ status: 'Succeeded', operationId: '475af49d-9bca-437f-8be1-9e467f44be8a' });
  });

  it('knows every documented package state and operation status', () => {
    const schema = sampleJson('application-packages.schema-only.json');
    expect([...INSTANCE_PACKAGE_STATES].sort()).toEqual(
      [...(schema.InstancePackageState as string[])].sort(),
    );
    expect([...PACKAGE_OPERATION_STATUSES].sort()).toEqual(
      [...(schema.InstancePackageOperationStatus as string[])].sort(),
    );
    expect((schema.endpoints as Record<string, string>).install).toContain(
      `install?api-version=${APP_MANAGEMENT_API_VERSION}`,
    );
  });

  it('links the environment page exactly as the platform does (BAP clientUris.admin)', () => {
    const bap = JSON.parse(
      readFileSync(
        path.join(import.meta.dirname, 'samples', 'bap', 'environments.list.terraform-recorded.json'),
        'utf8',
      ),
    ) as { value: { name: string; properties: { clientUris: { admin: string } } }[] };
    const env = bap.value[0]!;
    expect(adminCenterEnvironmentUrl(env.name)).toBe(env.properties.clientUris.admin);
  });

  it('reads the reason of the captured 400 answer to an install', () => {
    const body = /\{"StatusCode":400[^\n]*\}/.exec(sample('install-errors.captured.http'))![0];
    expect(errorReasonOf(JSON.parse(body))).toEqual({
      message: 'Package requested for installation was not found',
    });
  });
});

describe('the simulator answers in the same shapes', () => {
  let sim: RunningSimulator;
  let dev: string;
  const http = { timeoutMs: 2_000, maxRetries: 1, maxBackoffMs: 20 };
  const client = () =>
    new ApplicationPackagesClient({
      baseUrl: sim.urls.powerPlatformApi,
      tokenProvider: simulatorTokens(sim),
      ...http,
    });
  const call = async (method: string, url: string) => {
    const token = sim.issueUserToken('alice@contoso.com', 'https://api.powerplatform.com');
    return fetch(`${sim.baseUrl}${url}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      ...(method === 'POST' ? { body: '{}' } : {}),
    });
  };

  beforeAll(async () => {
    sim = await startSimulator({ timeScale: 0.001 });
    dev = sim.world.findEnvironment('dev')!.id;
  });
  afterAll(() => sim.close());

  it('lists packages as ApplicationPackageContinuationResponse, the failed portal package among them', async () => {
    const response = await call(
      'GET',
      `/appmanagement/environments/${dev}/applicationPackages?api-version=2024-10-01`,
    );
    expect(response.status).toBe(200);
    const list = applicationPackageListSchema.parse(await response.json());
    const failed = list.value.filter((p) => p.state === 'InstallFailed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.instancePackageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(failed[0]!.lastError?.message).toBeTruthy();
  });

  it('answers an install with an InstancePackage whose operation polls as InstancePackageOperationPollingResponse', async () => {
    const packages = await client().listPackages(dev);
    const portal = packages.find((p) => p.state === 'InstallFailed')!;
    const response = await call(
      'POST',
      `/appmanagement/environments/${dev}/applicationPackages/${portal.uniqueName}/install?api-version=2024-10-01`,
    );
    expect(response.status).toBe(200);
    const body = instancePackageSchema.parse(await response.json());
    const poll = await call(
      'GET',
      `/appmanagement/environments/${dev}/operations/${body.lastOperation!.operationId}?api-version=2024-10-01`,
    );
    const operation = packageOperationSchema.parse(await poll.json());
    expect(['Running', 'Succeeded']).toContain(operation.status);
  });

  it('answers 202 + Operation-Location when told to, and the client follows either answer', async () => {
    sim.applicationPackages.installAnswer = 202;
    try {
      const accepted = await client().installPackage(dev, 'msdyn_AppDeploymentAnchor');
      expect(accepted.operationUrl).toContain(
        `/appmanagement/environments/${dev}/operations/${accepted.operationId}`,
      );
      const done = await client().waitForInstall(accepted.operationUrl, { pollIntervalMs: 5 });
      expect(done.status).toBe('Succeeded');
    } finally {
      sim.applicationPackages.installAnswer = 200;
    }
  });

  it('refuses a package the environment does not offer with the captured 400 shape', async () => {
    const response = await call(
      'POST',
      `/appmanagement/environments/${dev}/applicationPackages/NoSuchPackage/install?api-version=2024-10-01`,
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      StatusCode: 400,
      Message: 'Package requested for installation was not found',
    });
    const error = await failureOf(client().installPackage(dev, 'NoSuchPackage'));
    expect(error.code).toBe('package_install_unavailable');
    expect(error.message).toContain('Package requested for installation was not found');
  });
});
