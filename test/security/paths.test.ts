import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { isPortalOpsError, type PortalOpsError } from '../../src/domain/errors.ts';
import { CONFIG_TABLES } from '../../src/migration/config-tables.ts';
import { applyDeploymentProfile } from '../../src/migration/deployment-profile.ts';
import { planImport } from '../../src/migration/import-plan.ts';
import { pacFromRecords } from '../../src/migration/pac-from-records.ts';
import { deletedInManifest, readPacSite, writePacSite } from '../../src/migration/pac-layout.ts';
import { importBatches, runImport } from '../../src/migration/site-import.ts';
import { recordsFromPac, type SiteRecord } from '../../src/migration/site-records.ts';
import { loadSiteSchema } from '../../src/migration/site-schema.ts';
import { snapshotFolder, takeSnapshot } from '../../src/snapshots/site-snapshot.ts';
import { startLifecycleHarness } from '../support/lifecycle-harness.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const ORDER = CONFIG_TABLES.map((t) => t.logicalName);
const CONTOSO = path.resolve('fixtures/sites/contoso-construction');
const SETTING = '48f35c54-f355-ed11-9562-6045bd0ea8e5';
const WEB_FILE = 'fc7aa575-6e1d-ed11-b83e-6045bd0ea8e5';

/** The PortalOpsError `run` throws (fails the test when it throws anything else, or nothing). */
function refusal(run: () => unknown): PortalOpsError {
  try {
    run();
  } catch (error) {
    if (isPortalOpsError(error)) return error;
    throw new Error(`expected a PortalOpsError, got ${String(error)}`);
  }
  throw new Error('expected a refusal, but it went through');
}

/** Every file below `dir`, relative. */
function filesBelow(dir: string, rel = ''): string[] {
  if (!existsSync(path.join(dir, rel))) return [];
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const child = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? filesBelow(dir, child) : [child];
  });
}

/** Fixture copies keep the read-only modes of the originals. */
function makeWritable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) makeWritable(path.join(dir, entry.name));
    else chmodSync(path.join(dir, entry.name), 0o644);
  }
}

/** A writable copy of the Contoso Construction download. */
function copyOfContoso(dir: string): string {
  const folder = path.join(dir, 'site');
  cpSync(CONTOSO, folder, { recursive: true });
  makeWritable(folder);
  return folder;
}

describe('site data and names cannot reach outside their folder', () => {
  const temp = makeTempDir('security-paths-');
  let h: Awaited<ReturnType<typeof startLifecycleHarness>>;
  beforeAll(async () => {
    h = await startLifecycleHarness();
  });
  afterAll(async () => {
    await h.close();
    temp.remove();
  });

  it('a web file whose partial URL is ../../../escaped/evil.sh, uploaded, is refused by portalops download and the snapshot, naming the record, with nothing written anywhere', async () => {
    // The dev site carries a download whose web file was renamed (as an upload would leave it).
    const seeded = copyOfContoso(path.join(temp.dir, 'seed'));
    const webFileYml = path.join(seeded, 'web-files', 'css-style.css.webfile.yml');
    writeFileSync(
      webFileYml,
      readFileSync(webFileYml, 'utf8').replace(
        'adx_partialurl: css/style.css',
        'adx_partialurl: ../../../escaped/evil.sh',
      ),
    );
    const scenario = path.join(temp.dir, 'scenario.yml');
    writeFileSync(
      scenario,
      readFileSync(path.resolve('src/simulator/scenarios/default.yml'), 'utf8').replace(
        'configuration: ../../../fixtures/sites/contoso-construction',
        `configuration: ${JSON.stringify(seeded)}`,
      ),
    );
    const work = path.join(temp.dir, 'work');
    const target = path.join(work, 'downloads', 'site');
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      ['download', '--env', 'dev', '--site', 'contoso-construction', '--path', target],
      {
        out: (t: string) => out.push(t),
        err: (t: string) => err.push(t),
        env: {
          PORTALOPS_LOG_LEVEL: 'silent',
          PORTALOPS_DATA_DIR: path.join(temp.dir, 'data'),
          PORTALOPS_SIMULATOR_PORT: '0',
          PORTALOPS_SIMULATOR_SCENARIO: scenario,
        },
      },
    );
    expect(code, out.join('\n')).toBe(1);
    expect(err.join('\n')).toContain(
      `adx_webfile ${WEB_FILE} "../../../escaped/evil.sh" cannot be downloaded`,
    );
    expect(existsSync(path.join(work, 'escaped'))).toBe(false);
    expect(filesBelow(work)).toEqual([]);

    // The snapshot before a reset or migration refuses it the same way.
    const source = recordsFromPac(readPacSite(seeded, { duplicates: 'last' }));
    const dataverse = h.deps.dataverse(
      h.sim.environmentsRegistry().find((e) => e.alias === 'test')!.dataverseUrl,
    );
    await runImport(
      dataverse,
      importBatches(planImport(source, [], ORDER), 100, await loadSiteSchema(dataverse)),
    );
    const websiteId = source.find((r) => r.table === 'adx_website')!.id;
    const snapshotsDir = path.join(work, 'snapshots');
    await expect(
      takeSnapshot({
        dataverse,
        store: h.store,
        snapshotsDir,
        id: 'job-1-test',
        environmentId: 'env',
        environment: 'test',
        site: 'contoso',
        websiteRecordId: websiteId,
      }),
    ).rejects.toMatchObject({
      code: 'unsafe_path',
      details: { table: 'adx_webfile', id: WEB_FILE, name: '../../../escaped/evil.sh' },
    });
    expect(existsSync(path.join(work, 'escaped'))).toBe(false);
    expect(filesBelow(work)).toEqual([]);
  }, 60_000);

  it('a content file that is a symbolic link to a local file is refused with its path, never read into the site', () => {
    const dir = path.join(temp.dir, 'symlink');
    const folder = copyOfContoso(dir);
    const secret = path.join(dir, 'local-secret.txt');
    writeFileSync(secret, 'PRIVATE KEY of this machine');
    const page = readdirSync(path.join(folder, 'web-pages', 'home', 'content-pages')).find((f) =>
      f.endsWith('.webpage.copy.html'),
    )!;
    const copy = path.join(folder, 'web-pages', 'home', 'content-pages', page);
    unlinkSync(copy);
    symlinkSync(secret, copy);

    const error = refusal(() => readPacSite(folder, { duplicates: 'last' }));
    expect(error.code).toBe('unsafe_path');
    expect(error.message).toContain(path.join(folder, 'web-pages', 'home', 'content-pages', page));
    expect(error.message).toMatch(/symbolic link that points outside the folder/);

    // A link to a file inside the folder is still read.
    unlinkSync(copy);
    writeFileSync(
      path.join(folder, 'web-pages', 'home', 'content-pages', 'copy-source.html'),
      '<p>inside</p>',
    );
    symlinkSync('copy-source.html', copy);
    const site = readPacSite(folder, { duplicates: 'last' });
    const home = site.records.find(
      (r) => r.file === `web-pages/home/content-pages/${page.replace('.copy.html', '.yml')}`,
    );
    expect(home?.content['copy.html']?.toString()).toBe('<p>inside</p>');
  });

  it('a deployment profile named ../../x, or one that asks for OS.AZURE_CLIENT_SECRET, is refused and no secret reaches a setting', () => {
    const dir = path.join(temp.dir, 'profiles');
    const folder = path.join(dir, 'a', 'site');
    mkdirSync(path.join(folder, 'deployment-profiles'), { recursive: true });
    const records = recordsFromPac(readPacSite(CONTOSO, { duplicates: 'last' }));
    // A profile outside the folder, where ../../x would land.
    writeFileSync(
      path.join(dir, 'a', 'x.deployment.yml'),
      `adx_sitesetting:\n- adx_sitesettingid: ${SETTING}\n  adx_value: from outside\n`,
    );
    for (const name of ['../../x', '../x', '/etc/x', 'a/b', '..\\..\\x', 'C:x', '..', '.', 'x\u0000y']) {
      const error = refusal(() => applyDeploymentProfile(folder, name, records, {}));
      expect(error.code, name).toBe('deployment_profile_invalid');
      expect(error.message, name).toMatch(/is not a deployment profile name: use a plain name/);
    }

    writeFileSync(
      path.join(folder, 'deployment-profiles', 'prod.deployment.yml'),
      `adx_sitesetting:\n- adx_sitesettingid: ${SETTING}\n  adx_value: \${OS.AZURE_CLIENT_SECRET}\n`,
    );
    const secret = { AZURE_CLIENT_SECRET: 'the-app-secret', PORTALOPS_PROFILE_SEARCH: 'On' };
    const error = refusal(() => applyDeploymentProfile(folder, 'prod', records, secret));
    expect(error.code).toBe('deployment_profile_invalid');
    expect(error.message).toContain(`\${OS.AZURE_CLIENT_SECRET}`);
    expect(error.message).toContain('PORTALOPS_PROFILE_*');
    expect(error.message).not.toContain('the-app-secret');

    // The allowed prefix still works.
    writeFileSync(
      path.join(folder, 'deployment-profiles', 'prod.deployment.yml'),
      `adx_sitesetting:\n- adx_sitesettingid: ${SETTING}\n  adx_value: \${OS.PORTALOPS_PROFILE_SEARCH}\n`,
    );
    const applied = applyDeploymentProfile(folder, 'prod', records, secret);
    expect(applied.find((r) => r.id === SETTING)?.columns.adx_value).toBe('On');
  });

  it('a 40 MB YAML file, a list file holding a bare value and a sitemarker.yml holding a string are refused at once, naming the file and line', () => {
    const cases: { file: string; text: string | Buffer; message: RegExp }[] = [
      {
        file: 'sitesetting.yml',
        text: Buffer.alloc(40 * 1024 * 1024, '- adx_name: x\n'),
        message: /sitesetting\.yml is 40\.0 MB, more than the 5\.0 MB a site file may have/,
      },
      {
        file: '.portalconfig/manifest.yml',
        text: 'adx_webfile: 42\n',
        message:
          /manifest\.yml line 1 expected a list of manifest entries \(at adx_webfile\), found the number "42"/,
      },
      {
        file: '.portalconfig/manifest.yml',
        text: 'adx_contentsnippet: []\nadx_webfile: just a string\n',
        message:
          /manifest\.yml line 2 expected a list of manifest entries \(at adx_webfile\), found the text "just a string"/,
      },
      {
        file: 'sitemarker.yml',
        text: 'this is not a list of site markers\n',
        message: /sitemarker\.yml line 1 expected a list of adx_sitemarker records, found the text/,
      },
    ];
    for (const [index, c] of cases.entries()) {
      const folder = copyOfContoso(path.join(temp.dir, `yaml-${index}`));
      writeFileSync(path.join(folder, c.file), c.text);
      const started = Date.now();
      const error = refusal(() => deletedInManifest(readPacSite(folder, { duplicates: 'last' })));
      expect(Date.now() - started, c.file).toBeLessThan(10_000);
      expect(error.code, c.file).toBe('site_file_invalid');
      expect(error.message, c.file).toMatch(c.message);
      expect(error.message, c.file).toContain(path.join(folder, c.file));
      expect(error.message, c.file).toMatch(/Nothing was written\.$/);
    }
  });
});

describe('names checked on the way to disk', () => {
  it('refuses . and .. and Windows tricks in record names, and writes nothing', () => {
    const { dir, remove } = makeTempDir('security-names-');
    try {
      const records = recordsFromPac(readPacSite(CONTOSO, { duplicates: 'last' }));
      const template = records.find((r) => r.table === 'adx_webtemplate')!;
      const webFile = records.find((r) => r.table === 'adx_webfile')!;
      const variants: [SiteRecord, string, string][] = [
        [template, 'adx_name', '..'],
        [template, 'adx_name', '.'],
        [template, 'adx_name', '...'],
        [webFile, 'adx_partialurl', '..'],
        [webFile, 'adx_partialurl', '/etc/cron.d/x'],
        [webFile, 'adx_partialurl', 'C:\\Windows\\x.dll'],
        [webFile, 'adx_partialurl', '..\\..\\x.dll'],
        [webFile, 'adx_partialurl', 'a/../../x'],
        [webFile, 'adx_partialurl', 'x\u0000.css'],
        [webFile, 'adx_partialurl', `${'long'.repeat(80)}.css`],
      ];
      for (const [record, column, value] of variants) {
        const changed = records.map((r) =>
          r === record ? { ...r, columns: { ...r.columns, [column]: value } } : r,
        );
        const target = path.join(dir, 'out');
        const error = refusal(() => writePacSite(target, pacFromRecords(changed)));
        expect(error.code, value).toBe('unsafe_path');
        expect(error.details, value).toMatchObject({ table: record.table, id: record.id });
        expect(filesBelow(dir), value).toEqual([]);
      }
    } finally {
      remove();
    }
  });

  it('does not write through a symbolic link already in the target folder', () => {
    const { dir, remove } = makeTempDir('security-overwrite-');
    try {
      const target = path.join(dir, 'site');
      mkdirSync(path.join(dir, 'elsewhere'));
      mkdirSync(target);
      symlinkSync(path.join(dir, 'elsewhere'), path.join(target, 'web-files'));
      const error = refusal(() => writePacSite(target, readPacSite(CONTOSO, { duplicates: 'last' })));
      expect(error.code).toBe('unsafe_path');
      expect(error.message).toMatch(/web-files is a symbolic link/);
      expect(readdirSync(path.join(dir, 'elsewhere'))).toEqual([]);
      expect(readdirSync(target)).toEqual(['web-files']);
    } finally {
      remove();
    }
  });

  it('keeps snapshot folders inside the snapshots dir', () => {
    expect(snapshotFolder('/data/snapshots', 'job-1-contoso')).toBe(
      path.resolve('/data/snapshots/job-1-contoso'),
    );
    for (const id of ['..', '../x', 'job-1-../../x', '/tmp/x', 'a\\b', 'C:x']) {
      const error = refusal(() => snapshotFolder('/data/snapshots', id));
      expect(error.code, id).toBe('unsafe_path');
    }
  });

  it('reads the real site downloads unchanged', () => {
    for (const name of ['comet-self-service', 'contoso-construction', 'farming-es', 'maynouh-site']) {
      const site = readPacSite(path.resolve('fixtures/sites', name), { duplicates: 'last' });
      expect(site.records.length, name).toBeGreaterThan(100);
      expect(readFileSync(path.resolve('fixtures/sites', name, 'website.yml'), 'utf8')).toContain(
        'adx_websiteid',
      );
    }
  });
});
