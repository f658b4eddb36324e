/**
 * The example sites of each environment, read at most once every few seconds. Help names real
 * sites in its examples, so each help read every environment's site list; when many people ask
 * at once they now share one recent reading per environment. A failed reading is not kept.
 */
import type { ExampleSites } from './help-examples.ts';

/** How long an environment's example sites are reused. */
export const EXAMPLE_SITES_FRESH_MS = 3_000;

interface Reading {
  at: number;
  sites: Promise<ExampleSites>;
}

/** Recent example sites by environment id, for one source of site lists. */
export class RecentExampleSites {
  private readonly readings = new Map<string, Reading>();

  constructor(private readonly freshMs = EXAMPLE_SITES_FRESH_MS) {}

  /**
   * The example sites of `environmentId` at time `at` (ms): a reading started less than
   * `freshMs` before, or `read()`.
   */
  get(environmentId: string, at: number, read: () => Promise<ExampleSites>): Promise<ExampleSites> {
    const recent = this.readings.get(environmentId);
    if (recent && at - recent.at >= 0 && at - recent.at < this.freshMs) return recent.sites;
    const reading: Reading = { at, sites: read() };
    this.readings.set(environmentId, reading);
    reading.sites.catch(() => {
      if (this.readings.get(environmentId) === reading) this.readings.delete(environmentId);
    });
    return reading.sites;
  }
}
