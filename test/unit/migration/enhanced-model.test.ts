import { describe, expect, it } from 'vitest';
import {
  COMPONENT_TYPE_CHOICES,
  enhancedRowOf,
  recordOfEnhancedRow,
} from '../../../src/migration/enhanced-model.ts';
import type { PacSite } from '../../../src/migration/pac-layout.ts';
import { checksum, recordsFromPac, type SiteRecord } from '../../../src/migration/site-records.ts';

const SITE = '53a5514e-8dc7-4356-8e99-87b0c8f8f325';
const LANGUAGE = 'a1a1a1a1-0000-4000-8000-000000000001';

/** The row as the Web API reads it back: binds become `_x_value`. */
function stored(body: Record<string, unknown>, id: string): Record<string, unknown> {
  const row: Record<string, unknown> = { powerpagecomponentid: id };
  for (const [key, value] of Object.entries(body)) {
    const bind = /^(\w+)@odata\.bind$/.exec(key);
    if (bind) row[`_${bind[1]}_value`] = value ? /\(([^)]+)\)/.exec(String(value))![1] : null;
    else row[key] = value;
  }
  return row;
}

describe('the enhanced data model storage of a record', () => {
  it('keeps a web page as a type 2 component: values in content, the language as its lookup, state on the row', () => {
    const page: SiteRecord = {
      table: 'adx_webpage',
      id: 'b2b2b2b2-0000-4000-8000-000000000002',
      columns: {
        adx_name: 'Inicio',
        adx_partialurl: '/',
        adx_hiddenfromsitemap: false,
        statecode: 1,
        statuscode: 2,
      },
      lookups: {
        adx_websiteid: SITE,
        adx_webpagelanguageid: LANGUAGE,
        adx_rootwebpageid: 'c3c3c3c3-0000-4000-8000-000000000003',
      },
      links: {},
    };
    const row = enhancedRowOf(page, SITE);
    expect(row.entitySet).toBe('powerpagecomponents');
    expect(row.body).toMatchObject({
      name: 'Inicio',
      powerpagecomponenttype: 2,
      statecode: 1,
      'powerpagesiteid@odata.bind': `/powerpagesites(${SITE})`,
      'powerpagesitelanguageid@odata.bind': `/powerpagesitelanguages(${LANGUAGE})`,
    });
    expect(JSON.parse(String(row.body.content))).toEqual({
      name: 'Inicio',
      partialurl: '/',
      hiddenfromsitemap: false,
      rootwebpageid: 'c3c3c3c3-0000-4000-8000-000000000003',
    });
    const { record } = recordOfEnhancedRow('adx_webpage', stored(row.body, page.id), SITE);
    expect(checksum(record)).toBe(checksum(page));
    expect(record.lookups.adx_rootwebpageid).toBe('c3c3c3c3-0000-4000-8000-000000000003');
  });

  it('keeps a table permission’s web roles in content and a text column’s YAML text as written', () => {
    const permission: SiteRecord = {
      table: 'adx_entitypermission',
      id: 'd4d4d4d4-0000-4000-8000-000000000004',
      columns: { adx_entityname: 'Cases', adx_read: true, adx_scope: 756150000 },
      lookups: { adx_websiteid: SITE },
      links: { adx_entitypermission_webrole: ['e5e5e5e5-0000-4000-8000-000000000005'] },
    };
    const content = JSON.parse(String(enhancedRowOf(permission, SITE).body.content));
    expect(content).toMatchObject({ read: true, scope: 756150000 });
    expect(content.adx_entitypermission_webrole).toEqual(['e5e5e5e5-0000-4000-8000-000000000005']);
    const setting: SiteRecord = {
      table: 'adx_sitesetting',
      id: 'f6f6f6f6-0000-4000-8000-000000000006',
      columns: { adx_name: 'Search/Enabled', adx_value: true },
      lookups: { adx_websiteid: SITE },
      links: {},
      texts: { adx_value: 'True' },
    };
    const row = enhancedRowOf(setting, SITE, undefined, new Set(['adx_name', 'adx_value']));
    expect(JSON.parse(String(row.body.content)).value).toBe('True');
    const back = recordOfEnhancedRow('adx_sitesetting', stored(row.body, setting.id), SITE).record;
    expect(checksum(back)).toBe(checksum(setting));
  });

  it('refuses what a component cannot hold, and knows the type choices', () => {
    const custom: SiteRecord = {
      table: 'adx_webpage',
      id: 'a7a7a7a7-0000-4000-8000-000000000007',
      columns: { adx_name: 'x', new_rating: 4 },
      lookups: {},
      links: {},
    };
    expect(() => enhancedRowOf(custom, SITE)).toThrow(/new_rating/);
    const poll: SiteRecord = { table: 'adx_poll', id: custom.id, columns: {}, lookups: {}, links: {} };
    expect(() => enhancedRowOf(poll, SITE)).toThrow(/no component type/);
    for (const notAChoice of [14, 22, 23, 25]) expect(COMPONENT_TYPE_CHOICES.has(notAChoice)).toBe(false);
    expect(COMPONENT_TYPE_CHOICES.has(34)).toBe(true);
  });
});

describe('a web file folder entry without a note id', () => {
  it('still carries its bytes, in a note with the web file’s id', () => {
    const site: PacSite = {
      records: [
        { table: 'adx_website', id: SITE, fields: { adx_name: 'Site' }, content: {}, file: 'website.yml' },
        {
          table: 'adx_webfile',
          id: 'b8b8b8b8-0000-4000-8000-000000000008',
          fields: { adx_name: 'logo.png', adx_partialurl: 'logo.png' },
          content: { bytes: Buffer.from('png') },
          file: 'web-files/logo.png.webfile.yml',
        },
      ],
      manifests: {},
      other: {},
    };
    const note = recordsFromPac(site).find((r) => r.table === 'annotation');
    expect(note).toMatchObject({
      id: 'b8b8b8b8-0000-4000-8000-000000000008',
      columns: { filename: 'logo.png', documentbody: Buffer.from('png').toString('base64') },
      lookups: { objectid: 'b8b8b8b8-0000-4000-8000-000000000008' },
    });
  });
});
