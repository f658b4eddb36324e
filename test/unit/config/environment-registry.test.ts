import { describe, expect, it } from 'vitest';
import { EnvironmentRegistry } from '../../../src/config/environment-registry.ts';
import type { EnvironmentEntry } from '../../../src/domain/environment.ts';
import { isPortalOpsError } from '../../../src/domain/errors.ts';

const entry = (alias: string, displayName: string, n: number): EnvironmentEntry => ({
  alias,
  displayName,
  environmentId: `0a1b2c3d-1111-4000-8000-00000000000${n}`,
  dataverseUrl: `https://contoso-${alias}.crm.dynamics.com`,
  tenantId: '6f1c2a3b-0000-4000-8000-00000000c0de',
  protected: alias === 'prod',
});

const registry = new EnvironmentRegistry([
  entry('dev', 'Contoso Dev', 1),
  entry('test', 'Contoso Test', 2),
  entry('prod', 'Contoso Production', 3),
]);

describe('EnvironmentRegistry', () => {
  it.each([
    ['prod', 'prod'],
    ['PROD', 'prod'],
    ['Contoso Production', 'prod'],
    ['contoso  production', 'prod'],
    ['0a1b2c3d-1111-4000-8000-000000000003', 'prod'],
    ['production', 'prod'],
    ['live', 'prod'],
    ['development', 'dev'],
    ['Contoso Dev', 'dev'],
    ['staging', 'test'],
    ['uat', 'test'],
    ['qa', 'test'],
    ['testing', 'test'],
  ])('finds %s as %s', (name, alias) => {
    expect(registry.get(name).alias).toBe(alias);
  });

  it('resolves a stage word through display names when no alias is of that stage', () => {
    const byName = new EnvironmentRegistry([
      entry('emea-main', 'EMEA Production', 1),
      entry('sandbox', 'EMEA Staging', 2),
    ]);
    expect(byName.find('production')?.alias).toBe('emea-main');
    expect(byName.find('staging')?.alias).toBe('sandbox');
    expect(byName.find('development')).toBeUndefined();
  });

  it('resolves a stage word to nothing when two environments are of that stage', () => {
    const two = new EnvironmentRegistry([
      entry('prod', 'Contoso Production', 1),
      entry('prod-eu', 'EU Production', 2),
    ]);
    expect(two.find('prod')?.alias).toBe('prod');
    expect(two.find('production')).toBeUndefined();
  });

  it('refuses an unknown name with the closest aliases', () => {
    try {
      registry.get('prdo');
      expect.unreachable();
    } catch (error) {
      expect(isPortalOpsError(error) && error.code).toBe('unknown_environment');
      expect((error as Error).message).toContain('Did you mean prod?');
    }
  });
});
