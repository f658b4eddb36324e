import { closestMatches } from '../domain/closest-matches.ts';
import type { EnvironmentEntry } from '../domain/environment.ts';
import { environmentNamed } from '../domain/environment-names.ts';
import { PortalOpsError } from '../domain/errors.ts';

/**
 * Looks environments up by alias, display name or id, case-insensitively, then by a common word
 * for their stage ("production", "staging", "development"; see {@link environmentNamed}).
 * Unknown names fail with `unknown_environment` and a "did you mean" list.
 */
export class EnvironmentRegistry {
  readonly entries: readonly EnvironmentEntry[];

  constructor(entries: readonly EnvironmentEntry[]) {
    this.entries = entries;
  }

  /** The entry for `name`, or undefined. */
  find(name: string): EnvironmentEntry | undefined {
    const alias = environmentNamed(this.entries, name);
    return alias === undefined ? undefined : this.entries.find((e) => e.alias === alias);
  }

  /** The entry for `name`, or an `unknown_environment` error with suggestions. */
  get(name: string): EnvironmentEntry {
    const found = this.find(name);
    if (found) return found;
    const suggestions = closestMatches(
      name,
      this.entries.map((e) => e.alias),
    );
    const known = this.entries.map((e) => e.alias).join(', ');
    const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.join(' or ')}?` : '';
    throw new PortalOpsError(
      'unknown_environment',
      `There is no environment called "${name}".${hint} Known: ${known}.`,
      {
        details: { name, suggestions },
      },
    );
  }
}
