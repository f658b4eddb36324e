import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

describe('portalops job commands', () => {
  const temp = makeTempDir();
  afterAll(() => temp.remove());

  /** Runs the CLI with a private, fast simulator (port 1 never answers, so none is reused). */
  async function cli(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      env: {
        PORTALOPS_LOG_LEVEL: 'silent',
        PORTALOPS_DATA_DIR: temp.dir,
        PORTALOPS_SIMULATOR_PORT: '1',
        PORTALOPS_SIMULATOR_TIME_SCALE: '0.001',
        PORTALOPS_JOB_POLL_INTERVAL_MS: '10',
      },
    };
    const code = await runCli(args, io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

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
      'PartnerPortalTemplate',
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
      'PartnerPortalTemplate',
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

  it('lists the jobs it ran', async () => {
    const result = await cli(['jobs']);
    expect(result.out).toMatch(/succeeded\s+.*Provision partner-hub in dev/);
    expect(result.out).toMatch(/failed\s+.*Provision Bad Name in dev\s+validation_failed/);
  });
});
