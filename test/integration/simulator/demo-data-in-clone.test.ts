/**
 * The demo scenario's site data ships inside the repository: what a fresh clone holds (the
 * committed tree, exported with `git archive`) gives the default scenario's sites their records,
 * Contoso Construction's real site download included. A folder left outside the repository would
 * give an empty site here.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readScenarioFile } from '../../../src/simulator/scenario-file.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

describe('the demo site data in a fresh clone', () => {
  let clone: ReturnType<typeof makeTempDir>;
  const scenarioFile = () => path.join(clone.dir, 'src/simulator/scenarios/default.yml');

  beforeAll(() => {
    clone = makeTempDir('fresh-clone-');
    const archive = execFileSync('git', ['archive', 'HEAD', 'src/simulator/scenarios', 'fixtures'], {
      maxBuffer: 200 * 1024 * 1024,
    });
    execFileSync('tar', ['-x', '-C', clone.dir], { input: archive });
  });
  afterAll(() => clone?.remove());

  it('seeds every site whose scenario entry names a configuration folder, from inside the clone', () => {
    const written = parse(readFileSync(scenarioFile(), 'utf8')) as {
      sites: { name: string; configuration?: string }[];
    };
    const withFolders = written.sites.filter((s) => s.configuration);
    expect(withFolders.map((s) => s.name)).toContain('Contoso Construction');
    for (const site of withFolders) {
      const folder = path.resolve(path.dirname(scenarioFile()), site.configuration!);
      expect(folder.startsWith(`${clone.dir}${path.sep}`), `${site.name}: ${site.configuration}`).toBe(true);
    }
    const scenario = readScenarioFile(scenarioFile());
    expect(scenario.configurations ?? []).toHaveLength(withFolders.length);
  });

  it('gives Contoso Construction its pages, templates, snippets and settings', () => {
    const scenario = readScenarioFile(scenarioFile());
    const site = scenario.sites.find((s) => s.name === 'Contoso Construction')!;
    const configuration = scenario.configurations?.find((c) => c.websiteRecordId === site.websiteRecordId);
    expect(configuration).toBeDefined();
    const counts = Object.fromEntries(
      Object.entries(configuration!.rows).map(([table, rows]) => [table, rows.length]),
    );
    for (const table of ['adx_webpages', 'adx_pagetemplates', 'adx_contentsnippets', 'adx_sitesettings'])
      expect(counts[table] ?? 0, `${table} in ${JSON.stringify(counts)}`).toBeGreaterThan(0);
  });
});
