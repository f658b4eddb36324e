import type { Scenario } from '../../src/simulator/model.ts';
import { DEFAULT_SCENARIO_FILE, readScenarioFile } from '../../src/simulator/scenario-file.ts';

/** The second tenant's id. */
export const FABRIKAM = 'fab00000-0000-4000-8000-0000000000fb';

/** The default scenario with prod moved to a second tenant (Fabrikam) and a Fabrikam admin. */
export function twoTenantScenario(): Scenario {
  const scenario = readScenarioFile(DEFAULT_SCENARIO_FILE);
  const prod = scenario.environments.find((e) => e.alias === 'prod')!;
  prod.tenantId = FABRIKAM;
  for (const site of scenario.sites) if (site.environmentId === prod.id) site.tenantId = FABRIKAM;
  scenario.tenants.push({ id: FABRIKAM, name: 'Fabrikam' });
  scenario.users.push({
    id: 'f10a0000-0000-4000-8000-0000000000fb',
    tenantId: FABRIKAM,
    userPrincipalName: 'fiona@fabrikam.com',
    displayName: 'Fiona Fabrikam',
    securityRoles: { [prod.id]: ['System Administrator'] },
  });
  return scenario;
}
