/**
 * The environment aliases of a scenario file, read without building the scenario (which reads
 * every site folder it names): `portalops parse` needs only the aliases, and answers at once.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
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
  return environments
    .map((e) => (e as { alias?: unknown } | null)?.alias)
    .filter((alias): alias is string => typeof alias === 'string');
}
