import { describe, expect, it } from 'vitest';
import { rowBody, type SiteRecord } from '../../../src/migration/site-records.ts';
import type { SchemaTable } from '../../../src/migration/site-schema.ts';

const attribute = (logicalName: string, validForCreate = true, validForUpdate = true) =>
  [logicalName, { logicalName, attributeType: 'String', validForCreate, validForUpdate }] as const;

/** A note table as an environment's metadata describes it: `objectid` points at two tables. */
const notes: SchemaTable = {
  logicalName: 'annotation',
  entitySetName: 'annotations',
  primaryIdAttribute: 'annotationid',
  primaryNameAttribute: 'subject',
  order: 1,
  attributes: new Map([
    attribute('subject'),
    attribute('overriddencreatedon', true, false),
    attribute('versionnumber', false, false),
  ]),
  lookups: new Map([
    [
      'objectid',
      [
        { table: 'adx_webfile', entitySetName: 'adx_webfiles', navigationProperty: 'objectid_adx_webfile' },
        { table: 'contact', entitySetName: 'contacts', navigationProperty: 'objectid_contact' },
      ],
    ],
  ]),
  manyToMany: [],
};

const note = (patch: Partial<SiteRecord> = {}): SiteRecord => ({
  table: 'annotation',
  id: '0a0a0a0a-0000-4000-8000-000000000001',
  columns: { subject: 'logo.png', overriddencreatedon: '2020-01-01', versionnumber: 12 },
  lookups: { objectid: '0b0b0b0b-0000-4000-8000-000000000002' },
  links: {},
  lookupTables: { objectid: 'contact' },
  ...patch,
});

describe('rowBody', () => {
  it('binds a polymorphic lookup through the navigation property of the table the record names', () => {
    expect(rowBody(note(), notes, { creating: true })).toEqual({
      subject: 'logo.png',
      overriddencreatedon: '2020-01-01',
      'objectid_contact@odata.bind': '/contacts(0b0b0b0b-0000-4000-8000-000000000002)',
    });
  });

  it('leaves out columns not valid for update when the row exists, and clears a lookup with a null bind', () => {
    expect(rowBody(note({ lookups: { objectid: null } }), notes)).toEqual({
      subject: 'logo.png',
      'objectid_contact@odata.bind': null,
    });
  });

  it('refuses rather than send a plain id when it cannot tell the target or the lookup is unknown', () => {
    const { lookupTables: _, ...untargeted } = note();
    expect(() => rowBody(untargeted, notes)).toThrow(
      expect.objectContaining({
        code: 'record_error',
        message: expect.stringContaining('objectid can point at adx_webfile, contact'),
      }),
    );
    expect(() =>
      rowBody(note({ lookups: { regardingobjectid: '0b0b0b0b-0000-4000-8000-000000000003' } }), notes),
    ).toThrow(
      expect.objectContaining({
        code: 'record_error',
        message: expect.stringContaining('no lookup regardingobjectid'),
      }),
    );
  });
});
