/**
 * Portal options of the product documents that the Power Pages admin API does not offer as
 * templates: Partner Project Service and Partner Field Service. Neither is a `templateName`
 * value in any api-version (create-website.templates-by-api-version.schema-only.json); the API's
 * `FieldService` is a different site, the Field Service customer site. Both are solutions
 * installed on a partner site once it exists (power-pages-docs
 * `templates/dynamics-365-apps/integrate-field-service.md` and
 * `integrate-project-service-automation.md`: "Field Service and Partner site solutions must be
 * installed first"), so PortalOps answers a request for one with how to get it instead of
 * submitting a create the platform would refuse.
 */

import type { Audience } from './template-features.ts';
import { FIELD_SERVICE_SOLUTION, type RequiredSolution } from './templates.ts';

/** A documented portal option that is installed on a site rather than provisioned. */
export interface PortalAddOn {
  /** PortalOps' own id for it; deliberately not shaped like an API template name. */
  id: string;
  displayName: string;
  audiences: readonly Audience[];
  /** The template to provision first. */
  installOn: 'PartnerPortal';
  /** What must already be installed for the add-on's own install to succeed. */
  requiredSolutions: readonly RequiredSolution[];
  aliases: readonly string[];
}

/** The partner site's own solution, as the checks and the simulator name it. */
export const PARTNER_PORTAL_SOLUTION: RequiredSolution = {
  uniqueName: 'PartnerPortal',
  displayName: 'Partner Portal',
};

/** Project Service Automation, as the checks and the simulator name it. */
export const PROJECT_SERVICE_SOLUTION: RequiredSolution = {
  uniqueName: 'ProjectServiceAutomation',
  displayName: 'Project Service Automation',
};

/** The two add-ons, in the documents' order. */
export const PORTAL_ADD_ONS: readonly PortalAddOn[] = [
  {
    id: 'partner-project-service',
    displayName: 'Partner Project Service',
    audiences: ['partner'],
    installOn: 'PartnerPortal',
    requiredSolutions: [PARTNER_PORTAL_SOLUTION, PROJECT_SERVICE_SOLUTION],
    aliases: ['partner project service', 'project service', 'project service automation', 'psa'],
  },
  {
    id: 'partner-field-service',
    displayName: 'Partner Field Service',
    audiences: ['partner'],
    installOn: 'PartnerPortal',
    requiredSolutions: [PARTNER_PORTAL_SOLUTION, FIELD_SERVICE_SOLUTION],
    aliases: ['partner field service'],
  },
];

/** The add-on with this id (case-insensitive), or undefined. */
export function findAddOn(id: string): PortalAddOn | undefined {
  const wanted = id.trim().toLowerCase();
  return PORTAL_ADD_ONS.find((a) => a.id === wanted);
}

/** How to get the add-on instead: the template to provision and what its install needs. */
export function addOnHowTo(addOn: PortalAddOn): string {
  return (
    `Provision a Partner Portal (${addOn.installOn}) for a partner audience, then install the ` +
    `${addOn.displayName} solution on that site; it needs ` +
    `${addOn.requiredSolutions.map((s) => s.displayName).join(' and ')} installed first.`
  );
}

/** Says plainly that the add-on is not a template, and how to get it. */
export function addOnExplanation(addOn: PortalAddOn): string {
  return `${addOn.displayName} is not a template of the Power Pages admin API. ${addOnHowTo(addOn)}`;
}
