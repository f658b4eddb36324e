import {
  chmodSync,
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../../support/cli-runner.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

/** Fixture copies keep the read-only modes of the originals; make them writable. */
function chmodRecursive(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) chmodRecursive(full);
    else chmodSync(full, 0o644);
  }
}

describe('portalops job commands', () => {
  const temp = makeTempDir();
  afterAll(() => temp.remove());

  const cli = cliRunner(temp.dir);

  it('provisions a site and prints its address', async () => {
    const result = await cli([
      'provision',
      '--env',
      'dev',
      '--name',
      'Partner Hub',
      '--subdomain',
      'partner-hub',
      '--template',
      'PartnerPortal',
      '--audience',
      'partner',
    ]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/✔ Provision partner-hub in dev: done \(J-\w{5}\)\./);
    expect(result.out).toMatch(/websiteUrl: http:\/\/127\.0\.0\.1:\d+\/sites\/partner-hub/);
    expect(result.err).toContain('Check that the site answers');
  });

  it('lists every problem of an invalid request with its fix, and exits non-zero', async () => {
    const result = await cli([
      'provision',
      '--env',
      'dev',
      '--name',
      'X',
      '--subdomain',
      'Bad Name',
      '--template',
      'PartnerPortal',
      '--audience',
      'customer',
      '--language',
      '1037',
    ]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('• subdomain: "Bad Name" is not a valid subdomain');
    expect(result.err).toContain('→ Try "bad-name"');
    expect(result.err).toContain('• languageLcid: Hebrew cannot be');
    expect(result.err).toContain('• templateId: Partner Portal is not offered for a customer audience');
  });

  it('resets only when the site name is typed again', async () => {
    const refused = await cli(['reset', '--env', 'dev', '--site', 'contoso-dev', '--confirm', 'contoso']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/does not match the site "contoso-dev"\. Nothing was reset\./);
    const done = await cli(['reset', '--env', 'dev', '--site', 'contoso-dev', '--confirm', 'contoso-dev']);
    expect(done.code).toBe(0);
    expect(done.out).toMatch(/snapshotId: J-\w{5}-contoso-dev/);
    const snapshots = await cli(['snapshots', '--site', 'contoso-dev']);
    expect(snapshots.out).toMatch(/dev\/contoso-dev\s+1 rows/);
  });

  it('migrates a site between environments: a dry run first, then the real thing, reported as JSON', async () => {
    const dry = await cli([
      'migrate',
      '--from',
      'dev',
      '--to',
      'test',
      '--site',
      'contoso-construction',
      '--dry-run',
      '--json',
    ]);
    expect(dry.code, dry.err).toBe(0);
    const planned = JSON.parse(dry.out);
    expect(planned.state).toBe('succeeded');
    expect(planned.result.planned).toMatch(/^\d+ new, 0 changed, 0 removed, 0 unchanged$/);
    const done = await cli([
      'migrate',
      '--from',
      'dev',
      '--to',
      'test',
      '--site',
      'contoso-construction',
      '--json',
    ]);
    expect(done.code, done.err).toBe(0);
    const result = JSON.parse(done.out).result;
    expect(result.verified).toMatch(/^\d+ records equal$/);
    expect(Number(result.written)).toBeGreaterThan(0);
    const refused = await cli(['migrate', '--from', 'dev', '--to', 'dev', '--site', 'contoso-construction']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/same environment/);
  }, 60_000);

  it('uploads a site folder with a deployment profile, and says what it needs when a variable is missing', async () => {
    const folder = path.join(temp.dir, 'upload-site');
    cpSync(path.resolve('fixtures/sites/contoso-construction'), folder, { recursive: true });
    // The download carries page 1 twice under one id; an upload refuses that, so keep the copy
    // its environment manifest names (the one the simulated environment holds).
    rmSync(path.join(folder, 'web-pages', 'content-page-1'), { recursive: true });
    chmodRecursive(folder);
    mkdirSync(path.join(folder, 'deployment-profiles'), { recursive: true });
    writeFileSync(
      path.join(folder, 'deployment-profiles', 'prod.deployment.yml'),
      `adx_sitesetting:\n- adx_sitesettingid: 48f35c54-f355-ed11-9562-6045bd0ea8e5\n  adx_name: Search/Enabled\n  adx_value: \${OS.PORTALOPS_PROFILE_SEARCH_ENABLED}\n`,
    );
    const missing = await cli(['upload', '--env', 'test', '--path', folder, '--deployment-profile', 'prod']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/needs the environment variable PORTALOPS_PROFILE_SEARCH_ENABLED/);
    const dry = await cli(['upload', '--env', 'test', '--path', folder, '--dry-run', '--json']);
    expect(JSON.parse(dry.out)).toMatchObject({ environment: 'test', dryRun: true, updates: 0, written: 0 });
    const sent = await cli(
      ['upload', '--env', 'test', '--path', folder, '--deployment-profile', 'prod', '--json'],
      {
        PORTALOPS_PROFILE_SEARCH_ENABLED: 'True-in-prod',
      },
    );
    expect(sent.code, sent.err).toBe(0);
    const summary = JSON.parse(sent.out);
    expect(summary.creates).toBe(summary.records);
    expect(summary.written).toBeGreaterThanOrEqual(summary.records);
  }, 60_000);

  it('downloads a site into a pac folder that uploads back unchanged', async () => {
    const folder = path.join(temp.dir, 'download-site');
    const first = await cli([
      'download',
      '--env',
      'dev',
      '--site',
      'contoso-construction',
      '--path',
      folder,
      '--json',
    ]);
    expect(first.code, first.err).toBe(0);
    const summary = JSON.parse(first.out);
    expect(summary.records).toBeGreaterThan(200);
    expect(readdirSync(folder)).toContain('website.yml');
    const refused = await cli([
      'download',
      '--env',
      'dev',
      '--site',
      'contoso-construction',
      '--path',
      folder,
    ]);
    expect(refused.err).toMatch(/is not empty\. Pick an empty folder, or add --overwrite/);
    const unknown = await cli([
      'download',
      '--env',
      'dev',
      '--site',
      'contoso-construction',
      '--path',
      `${folder}-x`,
      '--include',
      'adx_nothing',
    ]);
    expect(unknown.err).toMatch(/Unknown table: adx_nothing/);
    // The folder uploads back to where it came from without sending anything.
    const again = await cli(['upload', '--env', 'dev', '--path', folder, '--dry-run', '--json']);
    expect(JSON.parse(again.out)).toMatchObject({ creates: 0, updates: 0, unchanged: summary.records });

    // A snippet removed from the folder and marked deleted in its manifest is deleted in the target.
    const snippetDir = path.join(folder, 'content-snippets', 'footer');
    const snippetYml = readdirSync(snippetDir).find((f) => f.endsWith('.contentsnippet.yml'))!;
    const snippetId = /adx_contentsnippetid: (\S+)/.exec(
      readFileSync(path.join(snippetDir, snippetYml), 'utf8'),
    )![1];
    rmSync(snippetDir, { recursive: true });
    mkdirSync(path.join(folder, '.portalconfig'), { recursive: true });
    writeFileSync(
      path.join(folder, '.portalconfig', 'manifest.yml'),
      `adx_contentsnippet:\n- RecordId: ${snippetId}\n  DisplayName: Footer\n  CheckSum: \n  IsDeleted: true\n`,
    );
    const deleted = await cli(['upload', '--env', 'dev', '--path', folder, '--json']);
    expect(deleted.code, deleted.err).toBe(0);
    expect(JSON.parse(deleted.out)).toMatchObject({ creates: 0, updates: 0, deletes: 1, written: 1 });
  }, 60_000);

  it('lists the jobs it ran', async () => {
    const result = await cli(['jobs']);
    expect(result.out).toMatch(/succeeded\s+.*Provision partner-hub in dev/);
    expect(result.out).toMatch(/failed\s+.*Provision Bad Name in dev\s+validation_failed/);
  });
});
