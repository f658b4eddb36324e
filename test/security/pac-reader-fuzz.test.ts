import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/domain/error-codes.ts';
import { isPortalOpsError } from '../../src/domain/errors.ts';
import { applyDeploymentProfile } from '../../src/migration/deployment-profile.ts';
import { recordFileShape } from '../../src/migration/pac-file-schemas.ts';
import { pacFromRecords } from '../../src/migration/pac-from-records.ts';
import {
  deletedInManifest,
  PAC_KINDS,
  type PacSite,
  readPacSite,
  writePacSite,
} from '../../src/migration/pac-layout.ts';
import { recordsFromPac } from '../../src/migration/site-records.ts';
import { makeTempDir } from '../support/temp-dir.ts';

/** Seeded so a failure can be replayed: the iteration's seed is in the assertion message. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(items: readonly T[]): T => items[int(items.length)]! };
}
type Random = ReturnType<typeof random>;

const ITERATIONS = 160;
const MAX_YAML_BYTES = 8 * 1024;
const SECRET = 'SECRET-BYTES-OUTSIDE-THE-FOLDER';

const NAMES = [
  'Home',
  '..x',
  '...',
  '.hidden',
  'café-ñ-ü',
  '日本語のページ',
  '😀',
  'a b',
  'x'.repeat(180),
  'back\\slash',
  'co:lon',
  '__proto__',
  'constructor',
  '-dash',
  'CON',
] as const;
/** Values for names inside records (partial URLs, record names, language codes). */
const RECORD_NAMES = [
  ...NAMES,
  '..',
  '.',
  '../../escaped/evil.sh',
  '../../../escaped/evil.sh',
  '/etc/passwd',
  'C:\\Windows\\evil.dll',
  '..\\..\\evil',
  'css/style.css',
  'a/../../b',
  'nul\u0000byte',
  '',
] as const;
const KINDS = Object.keys(PAC_KINDS);

function guid(r: Random): string {
  const hex = () => r.int(16).toString(16);
  const part = (n: number) => Array.from({ length: n }, hex).join('');
  return `${part(8)}-${part(4)}-${part(4)}-${part(4)}-${part(12)}`;
}

function recordYaml(r: Random, table: string, hostile: boolean, indent = ''): string {
  const id = hostile ? r.pick([guid(r), guid(r), guid(r), 'not-a-guid', '42', '']) : guid(r);
  const links = hostile ? r.pick(['[]', 'text', '42', `["${guid(r)}"]`]) : `["${guid(r)}"]`;
  const fields = [
    `${table}id: ${JSON.stringify(id)}`,
    `adx_name: ${JSON.stringify(r.pick(RECORD_NAMES))}`,
    `adx_partialurl: ${JSON.stringify(r.pick(RECORD_NAMES))}`,
    r.next() < 0.3
      ? `adx_languagecode: ${JSON.stringify(r.pick(RECORD_NAMES))}`
      : `adx_value: ${r.int(1000)}`,
    r.next() < 0.2 ? `${table}_webrole: ${links}` : 'statecode: 0',
  ];
  return fields.map((f, i) => (i === 0 ? f : `${indent}${f}`)).join('\n');
}

function records(r: Random, table: string, kind: string, hostile: boolean): string {
  const shape = recordFileShape(kind);
  const list = shape === 'list' || (shape === 'either' && r.next() < 0.5) || (hostile && r.next() < 0.3);
  return list
    ? `${Array.from({ length: 1 + r.int(3) }, () => `- ${recordYaml(r, table, hostile, '  ')}`).join('\n')}\n`
    : `${recordYaml(r, table, hostile)}\n`;
}

/** Random YAML: records and lists of them; in a hostile tree, often anything else. */
function yamlText(r: Random, table: string, kind: string, hostile: boolean): string | Buffer {
  switch (hostile ? r.int(20) : 99) {
    case 0:
      return `'${r.pick(RECORD_NAMES)}'\n`;
    case 1:
      return `${r.int(100000)}\n`;
    case 2:
      return '';
    case 3:
      return 'a: [1, 2\nb: }\n';
    case 4:
      return `${'['.repeat(3000)}${']'.repeat(3000)}\n`;
    case 5:
      return `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n`;
    case 6:
      return '--- a\n--- b\n';
    case 7:
      return Buffer.from(Array.from({ length: 200 }, () => r.int(256)));
    case 8:
      return `- adx_name: x\n${'  # padding\n'.repeat(1200)}`;
    case 9:
      return `key: 1\nkey: 2\n`;
    default:
      return records(r, table, kind, hostile);
  }
}

/** A random pac-like tree in `site`, with links in and out of it and a secret beside it. */
function plantTree(r: Random, root: string): string {
  const hostile = r.next() < 0.5;
  const site = path.join(root, 'jail', 'deep', 'site');
  mkdirSync(site, { recursive: true });
  mkdirSync(path.join(root, 'outside'));
  writeFileSync(path.join(root, 'outside', 'secret.txt'), SECRET);
  const folders = [
    '',
    'web-pages',
    'web-files',
    'web-templates/home',
    '.portalconfig',
    'deployment-profiles',
  ];
  const files: string[] = [];
  const fileCount = 4 + r.int(14);
  for (let i = 0; i < fileCount; i++) {
    const dir = r.next() < 0.15 ? `${r.pick(folders)}/${r.pick(NAMES)}`.replace(/^\//, '') : r.pick(folders);
    const name = r.pick(NAMES);
    const kind = r.pick(KINDS);
    const file = r.pick([
      'website.yml',
      `${kind}.yml`,
      `${name}.${kind}.yml`,
      `${name}.en-US.${kind}.yml`,
      `${name}.${kind}.copy.html`,
      `${name}.${kind}.${kind}.yml`,
      `${name}.webfile.yml`,
      name,
      'manifest.yml',
      `${name}.deployment.yml`,
    ]);
    const rel = dir ? `${dir}/${file}` : file;
    const absolute = path.join(site, ...rel.split('/'));
    if (existsSync(absolute)) continue;
    const fileKind = file === 'website.yml' ? 'website' : file.endsWith('.webfile.yml') ? 'webfile' : kind;
    const table = PAC_KINDS[fileKind]!;
    // Outside hostile trees, .portalconfig holds only YAML.
    if (!hostile && dir.startsWith('.portalconfig') && !file.endsWith('.yml')) continue;
    try {
      mkdirSync(path.dirname(absolute), { recursive: true });
      writeFileSync(
        absolute,
        file.endsWith('.yml') ? yamlText(r, table, fileKind, hostile) : `<p>${name}</p>`,
      );
      files.push(rel);
    } catch {
      // A file already where this one needs a folder: the tree simply lacks it.
    }
  }
  const linkCount = hostile ? r.int(4) : r.int(2);
  for (let i = 0; i < linkCount; i++) {
    const at = path.join(site, r.pick(['', 'web-pages', 'web-files']), `${r.pick(NAMES)}.webpage.copy.html`);
    if (existsSync(at)) continue;
    mkdirSync(path.dirname(at), { recursive: true });
    const inside = files.length > 0 ? path.join(site, ...r.pick(files).split('/')) : site;
    const target = hostile
      ? r.pick([
          path.join(root, 'outside', 'secret.txt'),
          path.relative(path.dirname(at), path.join(root, 'outside', 'secret.txt')),
          path.join(root, 'outside'),
          inside,
          path.relative(path.dirname(at), inside),
          '..',
          path.basename(at),
          path.join(root, 'nothing-here'),
        ])
      : r.pick([inside, path.relative(path.dirname(at), inside)]);
    try {
      symlinkSync(target, at);
    } catch {
      // A name the platform refuses for a link: the tree simply lacks it.
    }
  }
  return site;
}

/** Every entry below `dir` (links listed, not followed), relative. */
function entriesBelow(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const child = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() && !e.isSymbolicLink() ? [child, ...entriesBelow(dir, child)] : [child];
  });
}

function expectCoded(error: unknown, seed: number, step: string) {
  expect(isPortalOpsError(error), `seed ${seed}, ${step}: ${String((error as Error)?.stack ?? error)}`).toBe(
    true,
  );
  expect(ERROR_CODES, `seed ${seed}, ${step}`).toContain((error as { code: string }).code);
}

function contentOf(site: PacSite): Buffer[] {
  return [...site.records.flatMap((r) => Object.values(r.content)), ...Object.values(site.other)];
}

describe('the pac folder reader under random trees', () => {
  const temp = makeTempDir('pac-fuzz-');
  afterAll(() => temp.remove());

  it(`reads, writes and re-lays out ${ITERATIONS} random trees without crashing or writing outside its target`, () => {
    let read = 0;
    let written = 0;
    let relaid = 0;
    for (let seed = 1; seed <= ITERATIONS; seed++) {
      const r = random(seed);
      const root = path.join(temp.dir, String(seed));
      mkdirSync(root);
      const site = plantTree(r, root);
      const before = entriesBelow(root);
      const out = path.join(root, 'jail', 'deep', 'out');
      const relaidOut = path.join(root, 'jail', 'deep', 'relaid');

      let folder: PacSite | undefined;
      try {
        folder = readPacSite(site, { maxBytes: MAX_YAML_BYTES });
        read++;
      } catch (error) {
        expectCoded(error, seed, 'read');
      }
      if (folder) {
        for (const bytes of contentOf(folder))
          expect(bytes.includes(SECRET), `seed ${seed}: a file outside the folder was read`).toBe(false);
        expect(() => deletedInManifest(folder), `seed ${seed}`).not.toThrow();
        try {
          writePacSite(out, folder);
          written++;
        } catch (error) {
          expectCoded(error, seed, 'write');
        }
        try {
          const records = recordsFromPac(folder);
          writePacSite(relaidOut, pacFromRecords(records));
          relaid++;
          applyDeploymentProfile(site, r.pick(NAMES), records, { PORTALOPS_PROFILE_X: 'x' });
        } catch (error) {
          expectCoded(error, seed, 'lay out / profile');
        }
      }

      // Nothing outside the two targets changed: same entries, the secret untouched.
      const after = entriesBelow(root).filter(
        (e) => !e.startsWith('jail/deep/out') && !e.startsWith('jail/deep/relaid') && e !== 'jail/deep/out',
      );
      expect(after, `seed ${seed}`).toEqual(before);
      expect(readFileSync(path.join(root, 'outside', 'secret.txt'), 'utf8')).toBe(SECRET);
    }
    // Enough trees get through the reader for the writer to be exercised too.
    expect(read).toBeGreaterThan(ITERATIONS / 10);
    expect(written).toBeGreaterThan(ITERATIONS / 40);
    expect(relaid).toBeGreaterThan(0);
  }, 30_000);
});
