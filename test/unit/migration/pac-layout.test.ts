import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { pacFromRecords } from '../../../src/migration/pac-from-records.ts';
import {
  deletedInManifest,
  type PacRecord,
  readPacSite,
  writePacSite,
} from '../../../src/migration/pac-layout.ts';
import { checksum, recordsFromPac } from '../../../src/migration/site-records.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

const FIXTURES = path.resolve('fixtures/sites');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function digest(records: PacRecord[]) {
  return records.map((r) => ({
    ...r,
    content: Object.fromEntries(
      Object.entries(r.content).map(([k, v]) => [k, createHash('sha256').update(v).digest('hex')]),
    ),
  }));
}

function files(root: string, dir = ''): string[] {
  return readdirSync(path.join(root, dir)).flatMap((entry) => {
    const rel = dir ? `${dir}/${entry}` : entry;
    return statSync(path.join(root, rel)).isDirectory() ? files(root, rel) : [rel];
  });
}

describe.each(['contoso-construction', 'maynouh-site'])('the pac layout of %s', (name) => {
  const source = path.join(FIXTURES, name);

  it('reads every record, with its content files attached', () => {
    const site = readPacSite(source, { duplicates: 'last' });
    const tables = new Set(site.records.map((r) => r.table));
    for (const table of [
      'adx_website',
      'adx_webpage',
      'adx_webtemplate',
      'adx_contentsnippet',
      'adx_webfile',
      'adx_sitesetting',
    ])
      expect(tables).toContain(table);
    const website = site.records.find((r) => r.table === 'adx_website')!;
    expect(website.id).toMatch(/^[0-9a-f-]{36}$/);
    const templates = site.records.filter((r) => r.table === 'adx_webtemplate');
    expect(templates.every((t) => t.content['source.html'] !== undefined)).toBe(true);
    const webFiles = site.records.filter((r) => r.table === 'adx_webfile');
    expect(webFiles.length).toBeGreaterThan(0);
    expect(webFiles.every((w) => w.content.bytes !== undefined)).toBe(true);
    expect(Object.keys(site.other)).toEqual([]);
  });

  it('writes the same folder back: same files, content byte for byte, YAML with the same data', () => {
    const { dir, remove } = makeTempDir('pac-');
    cleanups.push(remove);
    writePacSite(dir, readPacSite(source, { duplicates: 'last' }));
    const original = files(source).sort();
    expect(files(dir).sort()).toEqual(original);
    for (const file of original) {
      const a = readFileSync(path.join(source, file));
      const b = readFileSync(path.join(dir, file));
      if (file.endsWith('.yml')) expect(parse(b.toString('utf8')), file).toEqual(parse(a.toString('utf8')));
      else expect(b.equals(a), file).toBe(true);
    }
    // And reading the copy gives the same records (content compared by digest).
    expect(digest(readPacSite(dir, { duplicates: 'last' }).records)).toEqual(
      digest(readPacSite(source, { duplicates: 'last' }).records),
    );
  });
});

describe.each(['contoso-construction', 'maynouh-site'])(
  'laying out the records of %s as pac does',
  (name) => {
    it('writes a folder that reads back to the same records, content included', () => {
      const { dir, remove } = makeTempDir('pac-out-');
      cleanups.push(remove);
      const records = recordsFromPac(readPacSite(path.join(FIXTURES, name), { duplicates: 'last' }));
      writePacSite(dir, pacFromRecords(records));
      const back = new Map(
        recordsFromPac(readPacSite(dir, { duplicates: 'last' })).map((r) => [
          `${r.table}:${r.id}`,
          checksum(r),
        ]),
      );
      expect(back.size).toBe(records.length);
      for (const record of records)
        expect(back.get(`${record.table}:${record.id}`), record.id).toBe(checksum(record));
      const layout = files(dir);
      expect(layout).toContain('website.yml');
      expect(
        layout.some((f) => /^web-pages\/[^/]+\/content-pages\/[^/]+\.en-US\.webpage\.yml$/.test(f)),
      ).toBe(true);
      expect(layout.some((f) => /^web-templates\/[^/]+\/[^/]+\.webtemplate\.source\.html$/.test(f))).toBe(
        true,
      );
      expect(layout.some((f) => /^web-files\/[^/]+\.webfile\.yml$/.test(f))).toBe(true);
    });
  },
);

describe('the deletion manifest', () => {
  it('lists the records .portalconfig/manifest.yml marks deleted, so an upload removes them too', () => {
    const deleted = deletedInManifest(
      readPacSite(path.join(FIXTURES, 'contoso-construction'), { duplicates: 'last' }),
    );
    expect(deleted).toContainEqual({ table: 'adx_webfile', id: '1b283369-7e1e-ed11-b83e-6045bd0ea8e5' });
    expect(deleted.every((d) => /^[0-9a-f-]{36}$/.test(d.id))).toBe(true);
    expect(deletedInManifest(readPacSite(path.join(FIXTURES, 'maynouh-site')))).toEqual([]);
  });
});
