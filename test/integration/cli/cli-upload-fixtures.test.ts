import { chmodSync, cpSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.ts';
import { type RunningSimulator, startSimulator } from '../../../src/simulator/simulator.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

const FIXTURES = path.resolve('fixtures/sites');

function chmodRecursive(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) chmodRecursive(full);
    else chmodSync(full, 0o644);
  }
}

/** Each real download goes into dev on the default scenario with `portalops upload`, as a new user would. */
describe('portalops upload of the real site downloads', () => {
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
        PORTALOPS_DATA_DIR: path.join(temp.dir, 'data'),
        PORTALOPS_SIMULATOR_HOST: '127.0.0.1',
        PORTALOPS_SIMULATOR_PORT: new URL(sim.baseUrl).port,
      },
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  /** A writable copy of a fixture, in a folder of its own (`as`, the fixture's name by default). */
  function copyOf(name: string, as = name): string {
    const folder = path.join(temp.dir, as);
    cpSync(path.join(FIXTURES, name), folder, { recursive: true });
    chmodRecursive(folder);
    return folder;
  }

  it('refuses a folder carrying one record in two files the manifest cannot tell apart, naming both', async () => {
    const folder = copyOf('maynouh-site', 'maynouh-with-a-copied-page');
    const pages = path.join(folder, 'web-pages');
    const [page] = readdirSync(pages);
    cpSync(path.join(pages, page!), path.join(pages, `${page}-copy`), { recursive: true });
    const refused = await cli(['upload', '--env', 'dev', '--path', folder, '--json']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/adx_webpage [0-9a-f-]{36} twice/);
    expect(refused.err).toContain(`web-pages/${page}/`);
    expect(refused.err).toContain(`web-pages/${page}-copy/`);
    expect(refused.err).not.toMatch(/\n\s+at /);
  });

  it.each([
    { name: 'comet-self-service', skipped: 0 },
    { name: 'farming-es', skipped: 2 },
    { name: 'maynouh-site', skipped: 0 },
    // The page folder pac left behind when the page was renamed is a stale copy, reported.
    { name: 'contoso-construction', skipped: 2 },
  ])('uploads $name into dev with no refusal, and a second upload sends nothing', async (fixture) => {
    const folder = copyOf(fixture.name);
    const first = await cli(['upload', '--env', 'dev', '--path', folder, '--json']);
    expect(first.code, first.err).toBe(0);
    const summary = JSON.parse(first.out);
    expect(summary.skipped).toHaveLength(fixture.skipped);
    expect(summary.notPartOfSite).toEqual([]);
    const second = await cli(['upload', '--env', 'dev', '--path', folder, '--json']);
    expect(second.code, second.err).toBe(0);
    expect(JSON.parse(second.out)).toMatchObject({ creates: 0, updates: 0, written: 0 });
  });
});
