/**
 * The provisioning a test or benchmark asks for when any customer site will do: Alice's
 * customer self-service portal in dev, named after its subdomain unless a name is given.
 */
import type { ProvisionParams } from '../../src/jobs/kinds/provision.ts';

/** Params of a provision job for a customer self-service site at `subdomain` in dev. */
export function customerSiteParams(
  subdomain: string,
  name = subdomain,
): ProvisionParams & Record<string, unknown> {
  return {
    environment: 'dev',
    name,
    subdomain,
    audience: 'customer',
    templateId: 'CustomerSelfServicePortal',
    siteAdministrator: 'alice@contoso.com',
    requesterUpn: 'alice@contoso.com',
  };
}
