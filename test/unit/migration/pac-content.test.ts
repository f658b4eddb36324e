import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isPortalOpsError } from '../../../src/domain/errors.ts';
import { planImport } from '../../../src/migration/import-plan.ts';
import { folderLeftOut, leftOutLines, readPacSite, writePacSite } from '../../../src/migration/pac-layout.ts';
import { missingColumnProblems, missingColumns } from '../../../src/migration/preflight.ts';
import { importBatches } from '../../../src/migration/site-import.ts';
import { checksum, recordFromRow, recordsFromPac, rowBody } from '../../../src/migration/site-records.ts';
import type { SchemaTable, SiteSchema } from '../../../src/migration/site-schema.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const WEBSITE = '11111111-0000-4000-8000-000000000001';

/** A site folder with the given files (path → text). */
function folder(files: Record<string, string>): string {
  const { dir, remove } = makeTempDir('pac-content-');
  cleanups.push(remove);
  const all = { 'website.yml': `adx_name: Site\nadx_websiteid: ${WEBSITE}\n`, ...files };
  for (const [rel, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const attribute = (
  logicalName: string,
  attributeType: string,
  validForCreate = true,
  validForUpdate = true,
) => [logicalName, { logicalName, attributeType, validForCreate, validForUpdate }] as const;

/** adx_sitesetting and adx_webpage as an environment's metadata describes them. */
function schema(): SiteSchema {
  const website = {
    table: 'adx_website',
    entitySetName: 'adx_websites',
    navigationProperty: 'adx_websiteid',
  };
  const settings: SchemaTable = {
    logicalName: 'adx_sitesetting',
    websiteLookup: 'adx_websiteid',
    entitySetName: 'adx_sitesettings',
    primaryIdAttribute: 'adx_sitesettingid',
    primaryNameAttribute: 'adx_name',
    order: 1,
    attributes: new Map([
      attribute('adx_name', 'String'),
      attribute('adx_value', 'Memo'),
      attribute('adx_websiteid', 'Lookup'),
    ]),
    lookups: new Map([['adx_websiteid', [website]]]),
    manyToMany: [],
  };
  const pages: SchemaTable = {
    logicalName: 'adx_webpage',
    websiteLookup: 'adx_websiteid',
    entitySetName: 'adx_webpages',
    primaryIdAttribute: 'adx_webpageid',
    primaryNameAttribute: 'adx_name',
    order: 2,
    attributes: new Map([
      attribute('adx_name', 'String'),
      attribute('adx_hiddenfromsitemap', 'Boolean'),
      attribute('adx_displayorder', 'Integer'),
      attribute('statecode', 'State', false, true),
      attribute('statuscode', 'Status'),
      attribute('adx_websiteid', 'Lookup'),
    ]),
    lookups: new Map([['adx_websiteid', [website]]]),
    manyToMany: [],
  };
  return { tables: new Map([settings, pages].map((t) => [t.logicalName, t])) };
}

const SETTINGS = `- adx_name: A/Enabled
  adx_sitesettingid: 22222222-0000-4000-8000-000000000001
  adx_value: True
- adx_name: B/Code
  adx_sitesettingid: 22222222-0000-4000-8000-000000000002
  adx_value: 0012
- adx_name: C/Size
  adx_sitesettingid: 22222222-0000-4000-8000-000000000003
  adx_value: 1e3
`;

const PAGE = `adx_displayorder: 3
adx_hiddenfromsitemap: false
adx_name: Old page
adx_webpageid: 33333333-0000-4000-8000-000000000001
statecode: 1
statuscode: 2
`;

describe('values keep the types the target declares', () => {
  it('sends True, 0012 and 1e3 of a text column as the text the file wrote, booleans and numbers as such', () => {
    const records = recordsFromPac(
      readPacSite(folder({ 'sitesetting.yml': SETTINGS, 'web-pages/old/Old.webpage.yml': PAGE })),
    );
    const target = schema();
    const values = records
      .filter((r) => r.table === 'adx_sitesetting')
      .map((r) => rowBody(r, target.tables.get('adx_sitesetting')!, { creating: true }).adx_value);
    expect(values).toEqual(['True', '0012', '1e3']);
    const page = records.find((r) => r.table === 'adx_webpage')!;
    const body = rowBody(page, target.tables.get('adx_webpage')!, { creating: false });
    expect(body).toMatchObject({ adx_hiddenfromsitemap: false, adx_displayorder: 3 });
  });

  it('compares a text column read back from Dataverse equal to the folder, so nothing is sent again', () => {
    const records = recordsFromPac(readPacSite(folder({ 'sitesetting.yml': SETTINGS })));
    const target = schema().tables.get('adx_sitesetting')!;
    const back = records
      .filter((r) => r.table === 'adx_sitesetting')
      .map((r) =>
        recordFromRow(target, {
          adx_sitesettingid: r.id,
          ...rowBody(r, target, { creating: true, deferred: new Set(['adx_websiteid']) }),
          _adx_websiteid_value: WEBSITE,
        }),
      );
    for (const [i, record] of back.entries())
      expect(checksum(record)).toBe(checksum(records.filter((r) => r.table === 'adx_sitesetting')[i]!));
  });

  it('writes a folder back with True and 0012 as they were', () => {
    const source = folder({ 'sitesetting.yml': SETTINGS });
    const { dir, remove } = makeTempDir('pac-content-out-');
    cleanups.push(remove);
    writePacSite(dir, readPacSite(source));
    const written = readFileSync(path.join(dir, 'sitesetting.yml'), 'utf8');
    expect(written).toContain('adx_value: True\n');
    expect(written).toContain('adx_value: 0012\n');
    expect(written).toContain('adx_value: 1e3\n');
  });
});

describe('state', () => {
  it('creates a deactivated record active, then sets its state and status in the second pass', () => {
    const records = recordsFromPac(readPacSite(folder({ 'web-pages/old/Old.webpage.yml': PAGE })));
    const page = records.filter((r) => r.table === 'adx_webpage');
    const batches = importBatches(planImport(page, [], ['adx_webpage']), 100, schema()).flat();
    const [create, patch] = batches;
    expect(create).toMatchObject({ method: 'PATCH', id: page[0]!.id });
    expect(create && 'body' in create ? create.body : {}).not.toHaveProperty('statecode');
    expect(create && 'body' in create ? create.body : {}).not.toHaveProperty('statuscode');
    expect(patch && 'body' in patch ? patch.body : {}).toMatchObject({ statecode: 1, statuscode: 2 });
  });

  it('makes a record active again when the folder has no state and the target copy is deactivated', () => {
    const records = recordsFromPac(readPacSite(folder({ 'web-pages/old/Old.webpage.yml': PAGE })));
    const inactive = records.find((r) => r.table === 'adx_webpage')!;
    const active = { ...inactive, columns: { ...inactive.columns } };
    delete active.columns.statecode;
    delete active.columns.statuscode;
    const batches = importBatches(planImport([active], [inactive], ['adx_webpage']), 100, schema()).flat();
    expect(batches[0] && 'body' in batches[0] ? batches[0].body : {}).toMatchObject({
      statecode: 0,
      statuscode: 1,
    });
  });
});

describe('duplicate record ids', () => {
  it('stop the read with both files named, nothing written', () => {
    const dir = folder({
      'web-pages/page-1/Page-1.webpage.yml': PAGE,
      'web-pages/page-1-deleted/Page-1-deleted.webpage.yml': PAGE.replace('Old page', 'Old page-deleted'),
    });
    let error: unknown;
    try {
      readPacSite(dir);
    } catch (e) {
      error = e;
    }
    expect(isPortalOpsError(error) && error.code).toBe('duplicate_record_id');
    const message = (error as Error).message;
    expect(message).toContain('web-pages/page-1/Page-1.webpage.yml');
    expect(message).toContain('web-pages/page-1-deleted/Page-1-deleted.webpage.yml');
    expect(message).toContain('33333333-0000-4000-8000-000000000001');
  });
});

describe('every file of a folder is accounted for', () => {
  it('lists files of kinds left out with the reason, and files that are not part of the site', () => {
    const dir = folder({
      'ux-components/gallery/Gallery.uxcomponent.yml': 'name: Gallery\n',
      'ux-components/gallery/Gallery.uxcomponent.params.json': '{}',
      'notes/README.md': '# notes\n',
      'mystery.yml': 'a: 1\n',
      'botconsumer.yml': '- adx_botconsumerid: 44444444-0000-4000-8000-000000000001\n  adx_name: Bot\n',
    });
    const site = readPacSite(dir);
    expect(site.records.map((r) => r.table)).toContain('adx_botconsumer');
    const left = folderLeftOut(site);
    expect(left.notPartOfSite).toEqual(['mystery.yml', 'notes/README.md']);
    expect(left.skipped.map((s) => s.file)).toEqual([
      'ux-components/gallery/Gallery.uxcomponent.yml',
      'ux-components/gallery/Gallery.uxcomponent.params.json',
    ]);
    expect(left.skipped[0]!.reason).toMatch(/enhanced data model/);
    expect(leftOutLines(left)).toEqual([
      expect.stringMatching(
        /^Skipped ux-components\/gallery\/Gallery\.uxcomponent\.yml, ux-components\/gallery\/Gallery\.uxcomponent\.params\.json: UX components/,
      ),
      'Not part of the site (not uploaded): mystery.yml, notes/README.md.',
    ]);
  });
});

describe('columns the target lacks', () => {
  it('are listed per table and column with the records that use them, before anything is written', () => {
    const records = recordsFromPac(
      readPacSite(
        folder({
          'web-pages/old/Old.webpage.yml': PAGE.replace(
            'adx_displayorder: 3',
            'adx_customcss: x\nnew_color: red',
          ),
        }),
      ),
    );
    const missing = missingColumns(records, schema());
    expect(missing).toEqual([
      {
        table: 'adx_webpage',
        column: 'adx_customcss',
        records: [{ id: '33333333-0000-4000-8000-000000000001', name: 'Old page' }],
      },
      {
        table: 'adx_webpage',
        column: 'new_color',
        records: [{ id: '33333333-0000-4000-8000-000000000001', name: 'Old page' }],
      },
    ]);
    const [problem] = missingColumnProblems(missing, 'prod');
    expect(problem!.message).toContain(
      "1 adx_webpage record(s) have adx_customcss, which prod's adx_webpage table does not have",
    );
    expect(problem!.message).toContain('Old page');
  });
});
