/**
 * Deployment profiles of a pac folder (`deployment-profiles/<name>.deployment.yml`): per table,
 * records (by id) whose fields take other values in a given environment, e.g. a site setting
 * pointing at the production API. `${OS.NAME}` in a value is replaced by the environment
 * variable NAME; every missing variable is reported at once.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { PortalOpsError } from '../domain/errors.ts';
import type { SiteRecord } from './site-records.ts';

/** Applies the named profile to the records (a new list; records not named are unchanged). */
export function applyDeploymentProfile(
  folder: string,
  name: string,
  records: SiteRecord[],
  variables: Record<string, string | undefined>,
): SiteRecord[] {
  const file = path.join(folder, 'deployment-profiles', `${name}.deployment.yml`);
  if (!existsSync(file)) {
    throw new PortalOpsError(
      'invalid_input',
      `There is no deployment profile "${name}" (looked for ${file}). Create it, or leave out --deployment-profile.`,
    );
  }
  const profile = (parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, Record<string, unknown>[]>;
  const missing = new Set<string>();
  const substitute = (value: unknown): unknown =>
    typeof value === 'string'
      ? value.replace(/\$\{OS\.([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, variable: string) => {
          const found = variables[variable];
          if (found === undefined) missing.add(variable);
          return found ?? '';
        })
      : value;
  const overrides = new Map<string, Record<string, unknown>>();
  for (const [table, entries] of Object.entries(profile)) {
    for (const entry of entries ?? []) {
      const id = entry[`${table}id`];
      if (typeof id !== 'string') continue;
      const fields = Object.fromEntries(
        Object.entries(entry)
          .filter(([key]) => key !== `${table}id`)
          .map(([key, value]) => [key, substitute(value)]),
      );
      overrides.set(`${table}:${id.toLowerCase()}`, fields);
    }
  }
  if (missing.size > 0) {
    throw new PortalOpsError(
      'invalid_input',
      `Deployment profile "${name}" needs the environment variable${missing.size === 1 ? '' : 's'} ${[...missing].join(', ')}. Set ${missing.size === 1 ? 'it' : 'them'} and run again.`,
    );
  }
  return records.map((record) => {
    const fields = overrides.get(`${record.table}:${record.id}`);
    return fields ? { ...record, columns: { ...record.columns, ...fields } } : record;
  });
}
