import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

describe('portalops move-data-model', () => {
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

  it('moves a dev site once confirmed, and sends a protected environment to chat for its approval', async () => {
    const done = await cli([
      'move-data-model',
      '--env',
      'dev',
      '--site',
      'contoso-dev',
      '--confirm',
      'contoso-dev',
      '--json',
    ]);
    expect(done.code).toBe(0);
    const job = JSON.parse(done.out) as { state: string; result: Record<string, unknown> };
    expect(job.state).toBe('succeeded');
    expect(job.result.dataModel).toBe('Enhanced');
    const prod = await cli(['move-data-model', '--env', 'prod', '--site', 'contoso', '--confirm', 'contoso']);
    expect(prod.code).toBe(1);
    expect(prod.err).toContain('prod is protected');
    expect(prod.err).toContain('move contoso in prod to the enhanced data model');
  }, 60_000);
});
