import { afterAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../../support/cli-runner.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

describe('portalops move-data-model', () => {
  const temp = makeTempDir();
  afterAll(() => temp.remove());

  const cli = cliRunner(temp.dir);

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
