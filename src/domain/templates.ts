/**
 * The portal templates a site can be provisioned from, who each is for, what it needs
 * installed first, and which features it brings.
 */

/** Who will visit the site; decides which templates are offered. */
export type Audience = 'partner' | 'customer' | 'employee';

/** The features the template comparison lists. */
export const TEMPLATE_FEATURES = [
  'World Ready',
  'Multi-Language Support',
  'Portal Administration',
  'Customization and Extensibility',
  'Theming',
  'Content Management',
  'Knowledge Management',
  'Support/Case Management',
  'Forums',
  'Faceted Search',
  'Profile Management',
  'Subscribe to Forum Thread',
  'Comments',
  'Azure AD Authentication',
  'Ideas',
  'Blogs',
  'Project Service Automation Integration',
  'Field Service Integration',
  'Partner Onboarding',
  'Portal Base',
  'Portal Workflows',
  'Web Notifications',
  'Microsoft Identity',
  'Identity Workflows',
  'Web Forms',
  'Feedback',
] as const;

/** One template feature. */
export type TemplateFeature = (typeof TEMPLATE_FEATURES)[number];

/** A solution a template needs installed in the environment before provisioning. */
export interface RequiredSolution {
  uniqueName: string;
  displayName: string;
}

/** A portal template as the Power Pages API names it (`templateName`). */
export interface PortalTemplate {
  id: string;
  displayName: string;
  audiences: readonly Audience[];
  requiredSolutions: readonly RequiredSolution[];
  features: readonly TemplateFeature[];
  /** Words people use for it ("partner", "self service", …), for the parser. */
  aliases: readonly string[];
}

const COMMON: TemplateFeature[] = [
  'World Ready',
  'Multi-Language Support',
  'Portal Administration',
  'Customization and Extensibility',
  'Theming',
  'Portal Base',
  'Portal Workflows',
  'Web Notifications',
  'Microsoft Identity',
  'Identity Workflows',
  'Web Forms',
  'Feedback',
];

const SELF_SERVICE: TemplateFeature[] = [
  ...COMMON,
  'Content Management',
  'Knowledge Management',
  'Support/Case Management',
  'Forums',
  'Faceted Search',
  'Profile Management',
  'Subscribe to Forum Thread',
  'Comments',
];

const PARTNER: TemplateFeature[] = [
  ...COMMON,
  'Knowledge Management',
  'Project Service Automation Integration',
  'Field Service Integration',
  'Partner Onboarding',
];

/** Solutions the partner add-on templates depend on. */
export const PARTNER_PORTAL_SOLUTION: RequiredSolution = {
  uniqueName: 'PartnerPortal',
  displayName: 'Partner Portal',
};
export const FIELD_SERVICE_SOLUTION: RequiredSolution = {
  uniqueName: 'FieldService',
  displayName: 'Field Service',
};
export const PROJECT_SERVICE_SOLUTION: RequiredSolution = {
  uniqueName: 'ProjectServiceAutomation',
  displayName: 'Project Service Automation',
};

/** Every template PortalOps can provision. */
export const PORTAL_TEMPLATES: readonly PortalTemplate[] = [
  {
    id: 'CustomerSelfServiceTemplate',
    displayName: 'Customer Self-Service Portal',
    audiences: ['partner', 'customer'],
    requiredSolutions: [],
    features: SELF_SERVICE,
    aliases: ['customer self service', 'self service', 'customer portal', 'customer'],
  },
  {
    id: 'DefaultPortalTemplate',
    displayName: 'Custom Portal',
    audiences: ['partner', 'customer'],
    requiredSolutions: [],
    features: COMMON,
    aliases: ['custom', 'custom portal', 'starter', 'blank'],
  },
  {
    id: 'PartnerPortalTemplate',
    displayName: 'Partner Portal',
    audiences: ['partner'],
    requiredSolutions: [],
    features: PARTNER,
    aliases: ['partner', 'partner portal'],
  },
  {
    id: 'PartnerProjectServiceTemplate',
    displayName: 'Partner Project Service',
    audiences: ['partner'],
    requiredSolutions: [PARTNER_PORTAL_SOLUTION, PROJECT_SERVICE_SOLUTION],
    features: PARTNER,
    aliases: ['partner project service', 'project service'],
  },
  {
    id: 'PartnerFieldServiceTemplate',
    displayName: 'Partner Field Service',
    audiences: ['partner'],
    requiredSolutions: [PARTNER_PORTAL_SOLUTION, FIELD_SERVICE_SOLUTION],
    features: PARTNER,
    aliases: ['partner field service', 'field service'],
  },
  {
    id: 'CommunityPortalTemplate',
    displayName: 'Community Portal',
    audiences: ['partner', 'customer'],
    requiredSolutions: [],
    features: [
      ...COMMON,
      'Content Management',
      'Knowledge Management',
      'Support/Case Management',
      'Forums',
      'Comments',
      'Ideas',
      'Blogs',
    ],
    aliases: ['community', 'community portal', 'forum'],
  },
  {
    id: 'EmployeeSelfServiceTemplate',
    displayName: 'Employee Self-Service Portal',
    audiences: ['employee'],
    requiredSolutions: [],
    features: [...SELF_SERVICE, 'Azure AD Authentication'],
    aliases: ['employee self service', 'employee portal', 'employee', 'intranet'],
  },
];

/** The template with this id (case-insensitive), or undefined. */
export function findTemplate(id: string): PortalTemplate | undefined {
  const wanted = id.trim().toLowerCase();
  return PORTAL_TEMPLATES.find((t) => t.id.toLowerCase() === wanted);
}

/** Templates offered for an audience, in the order the platform lists them. */
export function templatesFor(audience: Audience): PortalTemplate[] {
  return PORTAL_TEMPLATES.filter((t) => t.audiences.includes(audience));
}
