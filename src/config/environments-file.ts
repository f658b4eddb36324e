import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { EnvironmentEntry } from '../domain/environment.ts';
import { PortalOpsError } from '../domain/errors.ts';

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
  message: 'use a GUID such as 00000000-0000-0000-0000-000000000000',
});

/** A tenant's default environment is named `Default-{tenantId}` (BAP `name`), others by a GUID. */
const environmentId = z
  .string()
  .regex(/^(Default-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
    message: 'use the environment id: a GUID, or Default-<tenant id> for the default environment',
  });

const entrySchema = z.object({
  alias: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, {
    message: 'use lower-case letters, digits and hyphens, e.g. dev or prod-eu',
  }),
  displayName: z.string().min(1, { message: 'give a display name' }),
  environmentId,
  dataverseUrl: z
    .url({ message: 'use the organization URL, e.g. https://contoso.crm.dynamics.com' })
    .transform((v) => v.replace(/\/+$/, '')),
  /** The Entra tenant owning the environment; defaults to the file's `tenantId`. */
  tenantId: guid.optional(),
  protected: z.boolean().default(false),
});

const fileSchema = z.object({
  /** The tenant of every environment that names none (usually PortalOps's home tenant). */
  tenantId: guid.optional(),
  environments: z.array(entrySchema).min(1, { message: 'list at least one environment' }),
});

/**
 * Parses the text of an environments registry (YAML or JSON: JSON is YAML) into entries.
 * Aliases and environment ids must be unique.
 */
export function parseEnvironments(text: string, source: string): EnvironmentEntry[] {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new PortalOpsError('environments_file_invalid', `${source} is not valid YAML or JSON: ${reason}`, {
      cause: error,
    });
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`);
    throw new PortalOpsError('environments_file_invalid', `${source} has problems: ${problems.join('; ')}.`, {
      details: { problems },
    });
  }
  const fileTenant = parsed.data.tenantId;
  const untenanted = parsed.data.environments.findIndex((e) => !e.tenantId);
  if (untenanted >= 0 && !fileTenant) {
    throw new PortalOpsError(
      'environments_file_invalid',
      `${source} has problems: environments.${untenanted}.tenantId: give the environment's Entra tenant id, or a tenantId at the top of the file for every environment that names none.`,
    );
  }
  const entries: EnvironmentEntry[] = parsed.data.environments.map((e) => ({
    ...e,
    tenantId: e.tenantId ?? fileTenant!,
  }));
  const seen = new Set<string>();
  for (const entry of entries) {
    for (const key of [`alias:${entry.alias}`, `id:${entry.environmentId.toLowerCase()}`]) {
      if (seen.has(key)) {
        throw new PortalOpsError(
          'environments_file_invalid',
          `${source} lists ${key.replace(':', ' ')} twice; each alias and environment id must appear once.`,
        );
      }
      seen.add(key);
    }
  }
  return entries;
}

/** Reads and validates the environments registry file; a missing or malformed file is a clear error. */
export function readEnvironmentsFile(filePath: string): EnvironmentEntry[] {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (error) {
    throw new PortalOpsError(
      'environments_file_missing',
      `The environments file ${filePath} could not be read. Create it from config/environments.example.yml or set PORTALOPS_ENVIRONMENTS_FILE.`,
      { cause: error },
    );
  }
  return parseEnvironments(text, filePath);
}
