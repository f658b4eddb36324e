import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

describe('portalops restart-site', () => {
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
