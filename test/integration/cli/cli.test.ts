import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

/** Runs the CLI in-process and captures what a person would see. */
async function cli(args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { PORTALOPS_LOG_LEVEL: 'silent', ...env },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('portalops CLI', () => {
  const temps: ReturnType<typeof makeTempDir>[] = [];
  const dataDir = () => {
    temps.push(makeTempDir());
    return temps.at(-1)!.dir;
  };
  afterEach(() => {
    for (const t of temps.splice(0)) t.remove();
  });

  it('lists the sites of an environment through the embedded simulator', async () => {
    const result = await cli(['sites', '--env', 'dev'], { PORTALOPS_DATA_DIR: dataDir() });
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    // The admin centre's words, with the platform's raw values on the line below.
    expect(result.out).toMatch(
      /Contoso Broken\s+Provisioning failed \(restart provisioning, or change the values and restart\)/,
    );
    expect(result.out).toMatch(/status OperationFailed · package None · type Trial/);
    expect(result.out).toMatch(
      /Contoso Setup\s+Getting set up \(package install failed \("Install Failed"\)/,
    );
    expect(result.out).toMatch(/Contoso Events\s+Configured\s+Production/);
  });

  it('answers an unknown environment alias with a suggestion, not a stack trace', async () => {
    const result = await cli(['sites', '--env', 'prd'], { PORTALOPS_DATA_DIR: dataDir() });
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^✖ .*prd.*Did you mean prod\?/);
    expect(result.err).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('names the variable and the fix for a malformed setting', async () => {
    const result = await cli(['sites', '--env', 'dev'], {
      PORTALOPS_DATA_DIR: dataDir(),
      PORTALOPS_SIMULATOR_TIME_SCALE: 'fast',
    });
    expect(result.code).toBe(1);
    expect(result.err.split('\n')[0]).toContain('PORTALOPS_SIMULATOR_TIME_SCALE');
    expect(result.err).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('says which service cannot be reached when the sign-in endpoint is down', async () => {
    const dir = dataDir();
    const environments = path.join(dir, 'environments.yml');
    writeFileSync(
      environments,
      [
        'environments:',
        '  - alias: dev',
        '    displayName: Dev',
        '    environmentId: 0a1b2c3d-1111-4000-8000-000000000001',
        '    dataverseUrl: http://127.0.0.1:9/orgs/dev',
        '    tenantId: 6f1c2a3b-0000-4000-8000-00000000c0de',
      ].join('\n'),
    );
    const env = {
      PORTALOPS_DATA_DIR: dir,
      PORTALOPS_SIMULATOR: 'off',
      PORTALOPS_ENVIRONMENTS_FILE: environments,
      PORTALOPS_AUTH_MODE: 'client_credentials',
      AZURE_CLIENT_ID: 'portalops-app',
      AZURE_CLIENT_SECRET: 'not-printed',
      AZURE_TENANT_ID: '6f1c2a3b-0000-4000-8000-00000000c0de',
      AZURE_AUTHORITY_HOST: 'http://127.0.0.1:9',
      POWER_PLATFORM_API_URL: 'http://127.0.0.1:9',
      BAP_API_URL: 'http://127.0.0.1:9',
    };
    const result = await cli(['environments'], env);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^✖ Cannot reach the sign-in service at http:\/\/127\.0\.0\.1:9/);
    expect(result.err).not.toContain('not-printed');
    expect(result.err.split('\n')).toHaveLength(2);

    // The Power Pages admin API takes no app-only sign-in: refused before anything is sent.
    const sites = await cli(['sites', '--env', 'dev'], env);
    expect(sites.code).toBe(1);
    expect(sites.err).toMatch(/^✖ The Power Pages admin API does not accept app-only sign-in/);
    expect(sites.err).toContain('portalops login');
  });

  it('asks to sign in when delegated mode has no account', async () => {
    const dir = dataDir();
    const environments = path.join(dir, 'environments.yml');
    writeFileSync(
      environments,
      'environments:\n  - alias: dev\n    displayName: Dev\n    environmentId: 0a1b2c3d-1111-4000-8000-000000000001\n    dataverseUrl: https://contoso.crm.dynamics.com\n    tenantId: 6f1c2a3b-0000-4000-8000-00000000c0de\n',
    );
    const result = await cli(['sites', '--env', 'dev'], {
      PORTALOPS_DATA_DIR: dir,
      PORTALOPS_SIMULATOR: 'off',
      PORTALOPS_ENVIRONMENTS_FILE: environments,
      AZURE_CLIENT_ID: 'portalops-app',
    });
    expect(result.code).toBe(1);
    expect(result.err).toContain('portalops login');
  });

  it('prints the parsed request as JSON', async () => {
    const result = await cli(['parse', 'promote', 'test', 'to', 'prod', 'dry', 'run'], {});
    expect(JSON.parse(result.out)).toEqual({ kind: 'migrate', source: 'test', target: 'prod', dryRun: true });
  });
});
