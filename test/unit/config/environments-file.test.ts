import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvironmentRegistry } from '../../../src/config/environment-registry.ts';
import { parseEnvironments, readEnvironmentsFile } from '../../../src/config/environments-file.ts';
import { PortalOpsError } from '../../../src/domain/errors.ts';

const example = path.resolve('config/environments.example.yml');

function failure(run: () => unknown): PortalOpsError {
  try {
    run();
  } catch (error) {
    if (error instanceof PortalOpsError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('environments registry file', () => {
  it('reads the shipped example', () => {
    const entries = readEnvironmentsFile(example);
    expect(entries.map((e) => e.alias)).toEqual(['dev', 'test', 'prod', 'fabrikam-prod']);
    expect(entries.find((e) => e.alias === 'prod')?.protected).toBe(true);
    expect(entries.find((e) => e.alias === 'dev')?.protected).toBe(false);
  });

  it('gives environments that name no tenant the file’s tenant, and keeps one in another tenant', () => {
    const entries = readEnvironmentsFile(example);
    expect(entries.map((e) => [e.alias, e.tenantId])).toEqual([
      ['dev', '11111111-1111-1111-1111-111111111111'],
      ['test', '11111111-1111-1111-1111-111111111111'],
      ['prod', '11111111-1111-1111-1111-111111111111'],
      ['fabrikam-prod', '22222222-2222-2222-2222-222222222222'],
    ]);
  });

  it('asks for a tenant when neither the environment nor the file names one', () => {
    const error = failure(() =>
      parseEnvironments(
        'environments:\n  - alias: dev\n    displayName: Dev\n    environmentId: 00000000-0000-0000-0000-000000000001\n    dataverseUrl: https://dev.crm.dynamics.com\n',
        'envs.yml',
      ),
    );
    expect(error.code).toBe('environments_file_invalid');
    expect(error.message).toContain('environments.0.tenantId');
    expect(error.message).toContain('tenantId at the top of the file');
  });

  it('accepts a tenant’s default environment by its Default-<tenant> id', () => {
    const [entry] = parseEnvironments(
      'tenantId: e1dd4023-a656-480a-8a0e-c1b1eec51e1d\nenvironments:\n  - alias: default\n    displayName: Contoso (default)\n    environmentId: Default-e1dd4023-a656-480a-8a0e-c1b1eec51e1d\n    dataverseUrl: https://org6633049a.crm4.dynamics.com/\n',
      'envs.yml',
    );
    expect(entry).toMatchObject({
      environmentId: 'Default-e1dd4023-a656-480a-8a0e-c1b1eec51e1d',
      tenantId: 'e1dd4023-a656-480a-8a0e-c1b1eec51e1d',
    });
  });

  it('accepts JSON as well as YAML', () => {
    const json = JSON.stringify({
      environments: [
        {
          alias: 'dev',
          displayName: 'Dev',
          environmentId: '00000000-0000-0000-0000-000000000001',
          dataverseUrl: 'https://dev.crm.dynamics.com/',
          tenantId: '11111111-1111-1111-1111-111111111111',
        },
      ],
    });
    const [entry] = parseEnvironments(json, 'envs.json');
    expect(entry?.dataverseUrl).toBe('https://dev.crm.dynamics.com');
  });

  it('says which file is missing and how to create it', () => {
    const error = failure(() => readEnvironmentsFile('/nonexistent/envs.yml'));
    expect(error.code).toBe('environments_file_missing');
    expect(error.message).toContain('/nonexistent/envs.yml');
    expect(error.message).toContain('environments.example.yml');
  });

  it('reports malformed YAML in one line', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'envs-'));
    const file = path.join(dir, 'envs.yml');
    writeFileSync(file, 'environments: [\n  - alias: dev\n');
    const error = failure(() => readEnvironmentsFile(file));
    expect(error.code).toBe('environments_file_invalid');
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('lists every problem with the path of the field', () => {
    const error = failure(() =>
      parseEnvironments(
        'environments:\n  - alias: Dev Env\n    displayName: ""\n    environmentId: abc\n    dataverseUrl: nope\n    tenantId: 11111111-1111-1111-1111-111111111111\n',
        'envs.yml',
      ),
    );
    expect(error.code).toBe('environments_file_invalid');
    for (const field of [
      'environments.0.alias',
      'environments.0.displayName',
      'environments.0.environmentId',
      'environments.0.dataverseUrl',
    ]) {
      expect(error.message).toContain(field);
    }
  });

  it('refuses duplicate aliases', () => {
    const entry =
      '  - alias: dev\n    displayName: D\n    environmentId: 00000000-0000-0000-0000-00000000000X\n    dataverseUrl: https://d.crm.dynamics.com\n    tenantId: 11111111-1111-1111-1111-111111111111\n';
    const text = `environments:\n${entry.replace('X', '1')}${entry.replace('X', '2')}`;
    expect(failure(() => parseEnvironments(text, 'envs.yml')).message).toContain('alias dev twice');
  });
});

describe('EnvironmentRegistry', () => {
  const registry = new EnvironmentRegistry(readEnvironmentsFile(example));

  it('finds an environment by alias, display name or id, ignoring case', () => {
    expect(registry.get('PROD').alias).toBe('prod');
    expect(registry.get('contoso test').alias).toBe('test');
    expect(registry.get('00000000-0000-0000-0000-000000000001').alias).toBe('dev');
  });

  it('suggests the closest alias for an unknown name', () => {
    const error = failure(() => registry.get('prdo'));
    expect(error.code).toBe('unknown_environment');
    expect(error.message).toContain('Did you mean prod?');
    expect(error.message).toContain('Known: dev, test, prod');
  });
});
