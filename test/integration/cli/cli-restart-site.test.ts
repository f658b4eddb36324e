import { afterAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../../support/cli-runner.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

describe('portalops restart-site', () => {
  const temp = makeTempDir();
  afterAll(() => temp.remove());

  const cli = cliRunner(temp.dir);

  it('restarts only when the site is typed again, and refuses a site that is not running', async () => {
    const refused = await cli([
      'restart-site',
      '--env',
      'dev',
      '--site',
      'contoso-dev',
      '--confirm',
      'contoso',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/does not match the site "contoso-dev"\. Nothing was restarted\./);

    const done = await cli([
      'restart-site',
      '--env',
      'dev',
      '--site',
      'contoso-dev',
      '--confirm',
      'contoso-dev',
      '--json',
    ]);
    expect(done.code).toBe(0);
    const job = JSON.parse(done.out) as {
      kind: string;
      state: string;
      steps: { id: string; state: string }[];
    };
    expect(job).toMatchObject({ kind: 'restart-site', state: 'succeeded' });
    expect(job.steps.map((s) => s.id)).toEqual(['locate', 'restart', 'verify']);

    const failed = await cli([
      'restart-site',
      '--env',
      'dev',
      '--site',
      'contoso-broken',
      '--confirm',
      'contoso-broken',
    ]);
    expect(failed.code).toBe(1);
    expect(failed.err).toContain('restart provisioning contoso-broken');
  });
});
