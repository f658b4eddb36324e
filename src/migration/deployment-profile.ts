/**
 * Deployment profiles of a pac folder (`deployment-profiles/<name>.deployment.yml`): per table,
 * records (by id) whose fields take other values in a given environment, e.g. a site setting
 * pointing at the production API. `${OS.NAME}` in a value is replaced by the environment
 * variable NAME, which must be named `PORTALOPS_PROFILE_*`: the process also holds PortalOps'
 * own secrets, and a profile is site data that must never be able to copy them into a site.
 * Every missing variable is reported at once.
 */
import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PortalOpsError } from '../domain/errors.ts';
import { isInside, realFolder, resolveBelow, segmentProblem } from './folder-paths.ts';
import type { SiteRecord } from './site-records.ts';
import { readSiteYaml } from './site-yaml.ts';

/** The only environment variables a deployment profile may read start with this. */
export const PROFILE_VARIABLE_PREFIX = 'PORTALOPS_PROFILE_';

/** A profile name: letters, digits, `-`, `_` and inner dots; no separators. */
const PROFILE_NAME = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,99}$/u;

const PLACEHOLDER = /\$\{OS\.([A-Za-z_][A-Za-z0-9_]*)\}/g;

const profileSchema = z
  .record(
    z.string(),
    z
      .array(z.record(z.string(), z.unknown(), { error: 'expected a record (a mapping of fields)' }), {
        error: 'expected a list of records',
      })
      .nullable(),
    { error: 'expected a mapping of table names to lists of records' },
  )
  .nullable()
  .superRefine((profile, ctx) => {
    for (const [table, entries] of Object.entries(profile ?? {})) {
      for (const [index, entry] of (entries ?? []).entries()) {
        if (typeof entry[`${table}id`] !== 'string')
          ctx.addIssue({
            code: 'custom',
            path: [table, index],
            message: `each ${table} entry needs its id ${table}id`,
          });
      }
    }
  });

/** Applies the named profile to the records (a new list; records not named are unchanged). */
export function applyDeploymentProfile(
  folder: string,
  name: string,
  records: SiteRecord[],
  variables: Record<string, string | undefined>,
): SiteRecord[] {
  const file = profileFile(folder, name);
  const profile =
    readSiteYaml(
      { absolute: file, shown: path.join(folder, 'deployment-profiles', `${name}.deployment.yml`) },
      profileSchema,
    ) ?? {};
  const missing = new Set<string>();
  const refused = new Set<string>();
  const substitute = (value: unknown): unknown =>
    typeof value === 'string'
      ? value.replace(PLACEHOLDER, (_, variable: string) => {
          if (!variable.startsWith(PROFILE_VARIABLE_PREFIX)) {
            refused.add(variable);
            return '';
          }
          const found = variables[variable];
          if (found === undefined) missing.add(variable);
          return found ?? '';
        })
      : value;
  const overrides = new Map<string, Record<string, unknown>>();
  for (const [table, entries] of Object.entries(profile)) {
    for (const entry of entries ?? []) {
      const id = entry[`${table}id`] as string;
      const fields = Object.fromEntries(
        Object.entries(entry)
          .filter(([key]) => key !== `${table}id`)
          .map(([key, value]) => [key, substitute(value)]),
      );
      overrides.set(`${table}:${id.toLowerCase()}`, fields);
    }
  }
  if (refused.size > 0) {
    const list = [...refused];
    throw new PortalOpsError(
      'deployment_profile_invalid',
      `Deployment profile "${name}" uses ${list.map((v) => `\${OS.${v}}`).join(', ')}: profiles take values only from environment variables named ${PROFILE_VARIABLE_PREFIX}* (for example \${OS.${PROFILE_VARIABLE_PREFIX}${list[0]}}), never from PortalOps' own settings. Rename ${list.length === 1 ? 'it' : 'them'} in the profile and in the environment, and run again.`,
      { details: { profile: name, refused: list, prefix: PROFILE_VARIABLE_PREFIX } },
    );
  }
  if (missing.size > 0) {
    throw new PortalOpsError(
      'invalid_input',
      `Deployment profile "${name}" needs the environment variable${missing.size === 1 ? '' : 's'} ${[...missing].join(', ')}. Set ${missing.size === 1 ? 'it' : 'them'} and run again.`,
      { details: { profile: name, missing: [...missing] } },
    );
  }
  return records.map((record) => {
    const fields = overrides.get(`${record.table}:${record.id}`);
    return fields ? { ...record, columns: { ...record.columns, ...fields } } : record;
  });
}

/**
 * The file of profile `name` inside `<folder>/deployment-profiles/`. Refuses a name that is not
 * plain (`deployment_profile_invalid`), a profile that is not there, and one that is a symbolic
 * link out of the folder (`unsafe_path`).
 */
function profileFile(folder: string, name: string): string {
  const shown = path.join(folder, 'deployment-profiles', `${name}.deployment.yml`);
  if (!PROFILE_NAME.test(name) || segmentProblem(name)) {
    throw new PortalOpsError(
      'deployment_profile_invalid',
      `"${name}" is not a deployment profile name: use a plain name such as prod (letters, digits, "-", "_"; no "/", "\\" or ".."), for deployment-profiles/<name>.deployment.yml.`,
      { details: { profile: name } },
    );
  }
  const base = realFolder(folder);
  const resolved = resolveBelow(base, `deployment-profiles/${name}.deployment.yml`);
  const stat = 'path' in resolved ? lstatOrUndefined(resolved.path) : undefined;
  if (!('path' in resolved) || !stat) {
    throw new PortalOpsError(
      'deployment_profile_invalid',
      `There is no deployment profile "${name}" (looked for ${shown}). Create it, or leave out --deployment-profile.`,
      { details: { profile: name } },
    );
  }
  let real: string;
  try {
    real = realpathSync(resolved.path);
  } catch {
    real = '';
  }
  if (!real || !isInside(base, real)) {
    throw new PortalOpsError(
      'unsafe_path',
      `${shown} is a symbolic link that points outside the site folder; profiles are read without following links out of it. Replace it with the file itself.`,
      { details: { file: shown, profile: name } },
    );
  }
  return real;
}

function lstatOrUndefined(file: string) {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}
