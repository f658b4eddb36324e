import type { ChatHarness } from './chat-harness.ts';

/**
 * Makes the Power Pages API list `count` sites in every environment: copies of the first real
 * one under other names, so they have whatever shape the client gives sites.
 */
export function listManySites(h: ChatHarness, count: number): void {
  const powerPages = h.deps.powerPages;
  const list = powerPages.listWebsites.bind(powerPages);
  powerPages.listWebsites = async (environmentId) => {
    const [first] = await list(environmentId);
    if (!first) return [];
    return Array.from({ length: count }, (_, i) => ({
      ...first,
      id: `${String(first.id).slice(0, -4)}${String(i).padStart(4, '0')}`,
      name: `Bulk Site ${i}`,
      subdomain: `bulk-site-${i}`,
      websiteUrl: `https://bulk-site-${i}.powerappsportals.com`,
    }));
  };
}
