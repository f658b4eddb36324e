import { statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.ts';
import { startSimulator } from '../../../src/simulator/simulator.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

/** Runs the CLI in-process against a private embedded simulator and captures what a person sees. */
async function cli(args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { PORTALOPS_LOG_LEVEL: 'silent', PORTALOPS_SIMULATOR_PORT: '0', ...env },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('portalops login', () => {
  const temps: ReturnType<typeof makeTempDir>[] = [];
  afterEach(() => {
    for (const t of temps.splice(0)) t.remove();
  });

  it('says what it asks consent for, signs in, and keeps the tokens owner-only', async () => {
    const temp = makeTempDir();
    temps.push(temp);
    const result = await cli(['login'], { PORTALOPS_DATA_DIR: temp.dir });
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/Tenant \S+ \(dev, test, prod\): consent for Power Platform API/);
    expect(result.out).toMatch(/To sign in, open http:\/\/127\.0\.0\.1:\d+\/device and enter the code/);
    const signedIn = result.out.split('\n').find((l) => l.startsWith('Signed in to tenant'));
    expect(signedIn).toContain('as alice@contoso.com');
    for (const service of [
      'Power Platform API',
      'environment lookup',
      'Dataverse of dev',
      'Dataverse of test',
      'Dataverse of prod',
    ]) {
      expect(signedIn).toContain(service);
    }
    const file = path.join(temp.dir, 'credentials', 'msal-token-cache.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  });

  it('names a service left without consent, and says who can grant it', async () => {
    const sim = await startSimulator({
      autoApproveDeviceCodeAs: 'alice@contoso.com',
      adminConsentOnly: ['https://service.powerapps.com'],
    });
    const temp = makeTempDir();
    temps.push(temp);
    try {
      const port = new URL(sim.baseUrl).port;
      const result = await cli(['login'], { PORTALOPS_DATA_DIR: temp.dir, PORTALOPS_SIMULATOR_PORT: port });
      expect(result.code).toBe(1);
      expect(result.out).toMatch(/Signed in to tenant \S+ as alice@contoso\.com: Power Platform API/);
      expect(result.err).toMatch(
        /Not available: environment lookup \(PowerApps service\): .*not consented to https:\/\/service\.powerapps\.com/,
      );
      expect(result.err).toContain('grant admin consent');
      expect(result.err).not.toContain('Dataverse');
    } finally {
      await sim.close();
    }
  });
});
