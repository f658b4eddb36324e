/**
 * The environment aliases of a scenario file, read without building the scenario (which reads
 * every site folder it names): `portalops parse` needs only the aliases, and answers at once.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { EnvironmentName } from '../domain/environment-names.ts';
import { PortalOpsError } from '../domain/errors.ts';

/** The default scenario shipped with PortalOps. */
export const DEFAULT_SCENARIO_FILE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'scenarios',
  'default.yml',
);

/**
 * The aliases of the environments a scenario file lists, in its order; none when it lists none
 * or is not YAML (the simulator itself says what is wrong with such a file).
 * @throws PortalOpsError invalid_input when the file cannot be read
 * @example readScenarioAliases(DEFAULT_SCENARIO_FILE) // ['dev', 'test', 'prod']
 */
export function readScenarioAliases(file: string): string[] {
  return readScenarioEnvironmentNames(file).map((e) => e.alias);
}

/**
 * The aliases and display names of the environments a scenario file lists, in its order (what
 * the parser resolves "Contoso Production" or "production" with); none as for the aliases.
 * @example readScenarioEnvironmentNames(DEFAULT_SCENARIO_FILE)[2] // { alias: 'prod', displayName: 'Contoso Production' }
 */
export function readScenarioEnvironmentNames(file: string): EnvironmentName[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new PortalOpsError('invalid_input', `Scenario file ${file} cannot be read. Check the path.`);
  }
  let scenario: unknown;
  try {
    scenario = parseYaml(text);
  } catch {
    return [];
  }
  const environments = (scenario as { environments?: unknown } | null)?.environments;
  if (!Array.isArray(environments)) return [];
  return environments.flatMap((e) => {
    const { alias, displayName } = (e ?? {}) as { alias?: unknown; displayName?: unknown };
    if (typeof alias !== 'string') return [];
    return [{ alias, ...(typeof displayName === 'string' ? { displayName } : {}) }];
  });
}
