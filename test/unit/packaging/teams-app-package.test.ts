import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildTeamsPackage,
  fillPlaceholders,
  TEAMS_MANIFEST_DIR,
} from '../../../src/packaging/teams-app-package.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});
function tempDir(): string {
  const { dir, remove } = makeTempDir('teams-package-');
  cleanups.push(remove);
  return dir;
}

const VALUES = {
  APP_VERSION: '1.2.3',
  TEAMS_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
  TEAMS_APP_ID: '66666666-7777-8888-9999-000000000000',
  PORTALOPS_PUBLIC_URL: 'https://portalops.contoso.com',
  PORTALOPS_PUBLIC_HOST: 'portalops.contoso.com',
  PORTALOPS_PUBLISHER: 'Contoso IT',
};

describe('Teams app package', () => {
  it('zips a schema-valid manifest with every value filled in, and both icons', async () => {
    const out = path.join(tempDir(), 'app.zip');
    await buildTeamsPackage({ values: VALUES, outFile: out });
    const zip = await JSZip.loadAsync(readFileSync(out));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const text = await zip.file('manifest.json')!.async('string');
    expect(text).not.toContain('${{');
    const manifest = JSON.parse(text);
    expect(manifest.id).toBe(VALUES.TEAMS_APP_ID);
    expect(manifest.bots[0].botId).toBe(VALUES.TEAMS_CLIENT_ID);
    expect(manifest.bots[0].scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(manifest.bots[0].commandLists[0].commands.map((c: { title: string }) => c.title)).toContain(
      'provision',
    );
    expect(manifest.validDomains).toEqual(['portalops.contoso.com']);
    expect(manifest.developer.name).toBe('Contoso IT');
  });

  it('names every missing setting at once', () => {
    expect(() =>
      fillPlaceholders(['{"a":"$', '{{TEAMS_CLIENT_ID}}","b":"$', '{{PORTALOPS_PUBLIC_URL}}"}'].join(''), {}),
    ).toThrow(/TEAMS_CLIENT_ID .*PORTALOPS_PUBLIC_URL/);
  });

  it('refuses a manifest that breaks the schema, saying where', async () => {
    const dir = tempDir();
    cpSync(TEAMS_MANIFEST_DIR, dir, { recursive: true });
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    manifest.accentColor = 'blue';
    manifest.bots[0].scopes = ['everywhere'];
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    await expect(
      buildTeamsPackage({ values: VALUES, outFile: path.join(dir, 'app.zip'), manifestDir: dir }),
    ).rejects.toThrow(/accentColor.*|scopes/);
  });

  it('ships a 192×192 colour icon and a 32×32 outline icon that is white on transparent', () => {
    const color = PNG.sync.read(readFileSync(path.join(TEAMS_MANIFEST_DIR, 'color.png')));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = PNG.sync.read(readFileSync(path.join(TEAMS_MANIFEST_DIR, 'outline.png')));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let transparent = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = outline.data.subarray(i, i + 4);
      if (a === 0) transparent++;
      else expect([r, g, b]).toEqual([255, 255, 255]);
    }
    expect(transparent).toBeGreaterThan(32 * 32 * 0.5);
  });
});
