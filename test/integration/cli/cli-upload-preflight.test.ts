import { chmodSync, cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.ts';
import { exportSite } from '../../../src/migration/site-export.ts';
import { DataverseClient } from '../../../src/platform/dataverse/dataverse-client.ts';
import { type RunningSimulator, startSimulator } from '../../../src/simulator/simulator.ts';
import { simulatorTokens } from '../../support/simulator-token-provider.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

const FARMING = path.resolve('fixtures/sites/farming-es');
const FARMING_WEBSITE = '53a5514e-8dc7-4356-8e99-87b0c8f8f325';

function chmodRecursive(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) chmodRecursive(full);
    else chmodSync(full, 0o644);
  }
}

/** `portalops upload` checks the target the way a migration does before it writes anything. */
describe('portalops upload preflight', () => {
  const temp = makeTempDir();
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({
      timeScale: 0.001,
      host: '127.0.0.1',
      port: 0,
      autoApproveDeviceCodeAs: 'alice@contoso.com',
    });
  });
  afterAll(async () => {
    await sim.close();
    temp.remove();
  });

  async function cli(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(args, {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      env: {
        PORTALOPS_LOG_LEVEL: 'silent',
        PORTALOPS_DATA_DIR: temp.dir,
        PORTALOPS_SIMULATOR_HOST: '127.0.0.1',
        PORTALOPS_SIMULATOR_PORT: new URL(sim.baseUrl).port,
      },
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }
  const recordsIn = (alias: string) =>
    exportSite(
      new DataverseClient({
        dataverseUrl: sim.dataverseUrl(alias),
        tokenProvider: simulatorTokens(sim, 'alice@contoso.com'),
        timeoutMs: 5_000,
        maxRetries: 2,
        maxBackoffMs: 20,
      }),
      FARMING_WEBSITE,
    );

  it('refuses a Spanish site for an environment without Spanish, listing every problem with its fix, and writes nothing', async () => {
    // prod has neither Spanish (3082) nor the site's business tables, and its site on the
    // folder's website record is on the enhanced data model while the folder is meant for a
    // standard one (a folder goes into either, but a site is not converted between models).
    const prod = sim.world.findEnvironment('prod')!;
    const template = sim.world.sitesIn(prod.id)[0]!;
    sim.world.sites.set('5e7e7777-0000-4000-8000-000000000077', {
      ...structuredClone(template),
      id: '5e7e7777-0000-4000-8000-000000000077',
      subdomain: 'farming-prod',
      websiteRecordId: FARMING_WEBSITE,
      dataModel: 'Enhanced',
    });
    const result = await cli(['upload', '--env', 'prod', '--path', FARMING, '--data-model', 'Standard']);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`prod is not ready for ${FARMING}; nothing was written`);
    expect(result.err).toContain('site language: prod has no language 3082 enabled.');
    expect(result.err).toContain('→ Enable language 3082 in prod.');
    expect(result.err).toContain('table wi_stock:');
    expect(result.err).toContain('→ Install the solution that adds wi_stock in prod.');
    expect(result.err).toContain(
      'is on the standard data model and prod holds its website record on the enhanced data model',
    );
    expect(result.err).toContain('pac pages migrate-datamodel');
    expect(await recordsIn('prod')).toEqual([]);
    // A dry run checks the same, so it never promises what the upload would refuse.
    const dry = await cli(['upload', '--env', 'prod', '--path', FARMING, '--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.err).toContain('no language 3082 enabled');
  });

  it('refuses a site with another enabled language the target lacks', async () => {
    const folder = path.join(temp.dir, 'farming-fr');
    cpSync(FARMING, folder, { recursive: true });
    chmodRecursive(folder);
    const french = 'f7e00000-0000-4000-8000-00000000f7e0';
    writeFileSync(
      path.join(folder, 'websitelanguage.yml'),
      `${readFileSync(path.join(folder, 'websitelanguage.yml'), 'utf8')}- adx_name: French - France\n  adx_portallanguageid: ${french}\n  adx_websitelanguageid: f7e00000-0000-4000-8000-00000000f7e1\n`,
    );
    // test has Spanish but not French; its portal language table says which LCID that id is.
    const test = sim.world.findEnvironment('test')!;
    sim.world.records.table(test.id, 'adx_portallanguages').set(french, {
      adx_portallanguageid: french,
      adx_name: 'French',
      adx_lcid: 1036,
      adx_languagecode: 'fr-FR',
    });
    const result = await cli(['upload', '--env', 'test', '--path', folder]);
    expect(result.code).toBe(1);
    expect(result.err).toContain(
      'site language: The site has French - France (1036) enabled, and test has no language 1036 enabled.',
    );
    expect(result.err).not.toContain('3082');
    expect(await recordsIn('test')).toEqual([]);
  });

  // (dev already holds this site: the default scenario's Contoso Events, on the enhanced data model.)
  it('uploads the Spanish site into test, which has Spanish and its tables, and a second upload sends nothing', async () => {
    const first = await cli(['upload', '--env', 'test', '--path', FARMING, '--json']);
    expect(first.code, first.err).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ environment: 'test', creates: 344, dataModel: 'Standard' });
    const second = await cli(['upload', '--env', 'test', '--path', FARMING, '--json']);
    expect(second.code, second.err).toBe(0);
    expect(JSON.parse(second.out)).toMatchObject({ creates: 0, updates: 0, written: 0 });
  });
});
