/**
 * The Teams app package: `manifest/teams/manifest.json` with its `${{NAME}}` values filled from
 * configuration, validated against the manifest's JSON schema (bundled with
 * `@microsoft/app-manifest`, so no network is needed), and zipped with its two icons.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppManifestUtils } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { PortalOpsError } from '../domain/errors.ts';

/** Folder of the manifest template and icons. */
export const TEAMS_MANIFEST_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../manifest/teams',
);

const ICONS = {
  color: { file: 'color.png', size: 192 },
  outline: { file: 'outline.png', size: 32 },
} as const;

/** Where a placeholder's value comes from, to say so when it is missing. */
const SOURCES: Record<string, string> = {
  TEAMS_CLIENT_ID: 'TEAMS_CLIENT_ID (the bot app registration client id)',
  TEAMS_APP_ID: 'TEAMS_APP_ID or TEAMS_CLIENT_ID',
  PORTALOPS_PUBLIC_URL: 'PORTALOPS_PUBLIC_URL (the https:// address of the bot)',
  PORTALOPS_PUBLIC_HOST: 'PORTALOPS_PUBLIC_URL (the https:// address of the bot)',
  PORTALOPS_PUBLISHER: 'PORTALOPS_PUBLISHER',
  APP_VERSION: 'the version in package.json',
};

/** Replaces every `${{NAME}}`; all missing names are reported at once. */
export function fillPlaceholders(template: string, values: Record<string, string | undefined>): string {
  const missing = new Set<string>();
  const filled = template.replace(/\$\{\{\s*([A-Z0-9_]+)\s*\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined || value === '') {
      missing.add(name);
      return '';
    }
    return JSON.stringify(value).slice(1, -1);
  });
  if (missing.size > 0) {
    throw new PortalOpsError(
      'config_invalid',
      `The Teams app package needs ${[...new Set([...missing].map((m) => SOURCES[m] ?? m))].join(', ')}. Set them in .env or the environment and run it again.`,
    );
  }
  return filled;
}

/** Width and height of a PNG, from its header. */
export function pngSize(bytes: Buffer): { width: number; height: number } {
  if (bytes.length < 24 || bytes.toString('ascii', 1, 4) !== 'PNG') throw new Error('not a PNG file');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The result of building the package. */
export interface TeamsPackage {
  file: string;
  manifest: Record<string, unknown>;
}

/**
 * Builds `appPackage.zip`. Throws `config_invalid` with every problem (missing values, schema
 * violations, wrong icon sizes) at once.
 */
export async function buildTeamsPackage(options: {
  values: Record<string, string | undefined>;
  outFile: string;
  manifestDir?: string;
}): Promise<TeamsPackage> {
  const dir = options.manifestDir ?? TEAMS_MANIFEST_DIR;
  const text = fillPlaceholders(readFileSync(path.join(dir, 'manifest.json'), 'utf8'), options.values);
  const manifest = JSON.parse(text) as Record<string, unknown>;
  const problems = await AppManifestUtils.validateAgainstSchema(manifest as never);
  const icons = manifest.icons as { color?: string; outline?: string } | undefined;
  const files: Record<string, Buffer> = {};
  for (const [kind, expected] of Object.entries(ICONS)) {
    const name = icons?.[kind as keyof typeof ICONS] ?? expected.file;
    const bytes = readFileSync(path.join(dir, name));
    const { width, height } = pngSize(bytes);
    if (width !== expected.size || height !== expected.size)
      problems.push(
        `${name}: the ${kind} icon must be ${expected.size}×${expected.size} pixels, not ${width}×${height}`,
      );
    files[name] = bytes;
  }
  if (problems.length > 0) {
    throw new PortalOpsError('config_invalid', `The Teams manifest is not valid: ${problems.join('; ')}.`, {
      details: { problems },
    });
  }
  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  for (const [name, bytes] of Object.entries(files)) zip.file(name, bytes);
  writeFileSync(options.outFile, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return { file: options.outFile, manifest };
}
