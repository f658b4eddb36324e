/**
 * The templates a site can be provisioned from, by the `templateName` the Power Pages admin API
 * takes (api-version 2024-10-01, `WebsiteTemplateName`: 20 values, see
 * test/contracts/samples/power-pages-api/create-website.templates-by-api-version.schema-only.json),
 * with who each is offered to, what must be installed first, and what it includes.
 *
 * How the product documents' portal options map onto these names:
 * - Customer Self-Service, Partner, Employee Self-Service and Community Portal are the Dynamics 365
 *   templates `CustomerSelfServicePortal`, `PartnerPortal`, `EmployeeSelfServicePortal`, `Community`.
 * - "Custom Portal" (portal base only, built up by the maker) is today's Power Pages templates: the
 *   starter layouts, Blank Page and the scenario templates (FAQ, meetings, program registration,
 *   application processing). They are offered where Custom Portal was: to partners and customers.
 *   Three names are older spellings of the same template (`DefaultPortalTemplate` is Starter
 *   Layout 1, whose enhanced-data-model solution is `DefaultPortalTemplate_V2`;
 *   `PowerPortals_BookMeeting`, `PowerPortals_ProgramRegistration` are the 2022-03-01-preview
 *   names): they are accepted but only one name of each is offered.
 * - Partner Project Service and Partner Field Service are not templates (see portal-add-ons.ts).
 * - `FieldService`, `CustomerPortal` and `EventPortal` are not in the documents; their audiences
 *   come from the Learn module "Explore Power Apps portals" template table (Field Service:
 *   Customer; Supply Chain customer portal: enterprise B2B customers) and, as the documents do for
 *   every customer option, they are offered to partners too.
 */
import {
  type Audience,
  type FeatureColumn,
  featuresOf,
  seedAudiencesOf,
  type TemplateFeature,
} from './template-features.ts';

export type { Audience, TemplateFeature } from './template-features.ts';
export { TEMPLATE_FEATURES } from './template-features.ts';

/** The API's grouping of templates. */
export type TemplateType = 'Power Pages' | 'Dynamics 365';

/** A solution a template needs installed in the environment before provisioning. */
export interface RequiredSolution {
  /** Dataverse `solution.uniquename`, compared case-insensitively. */
  uniqueName: string;
  displayName: string;
}

/** A portal template as the Power Pages admin API names it. */
export interface PortalTemplate {
  /** The `templateName` value (api-version 2024-10-01). */
  id: string;
  /** The API's display name. */
  displayName: string;
  templateType: TemplateType;
  /** The product documents' portal option this template is, when it is one. */
  seedPortal?: FeatureColumn;
  audiences: readonly Audience[];
  /** False for an older name of a template offered under another name (`sameAs`). */
  offered: boolean;
  sameAs?: string;
  /** Checked before a create is submitted (and by the simulator). */
  requiredSolutions: readonly RequiredSolution[];
  /** The enhanced-data-model solution the template installs, where documented. */
  enhancedDataModelSolution?: string;
  /** From the documents' feature table; empty for templates the table does not cover. */
  features: readonly TemplateFeature[];
  /** Words people use for it ("partner", "self service", …), for the parser. */
  aliases: readonly string[];
  /** What to know before choosing it, in a sentence or two; empty when nothing. */
  note: string;
}

/**
 * Dynamics 365 templates are offered only in environments with one of these apps (power-pages-docs
 * `templates/dynamics-365-apps/overview.md`, "Dynamics 365 templates", ms.date 04/10/2023). Shown,
 * not checked: which solutions stand for "has a Dynamics 365 app" is not documented.
 */
export const DYNAMICS_365_APPS: readonly string[] = [
  'Dynamics 365 Sales',
  'Dynamics 365 Customer Service',
  'Dynamics 365 Field Service',
  'Dynamics 365 Marketing',
  'Dynamics 365 Project Operations',
];

/** Dynamics 365 Field Service (unique name as listed among Connected Field Service's solutions). */
export const FIELD_SERVICE_SOLUTION: RequiredSolution = {
  uniqueName: 'FieldService',
  displayName: 'Dynamics 365 Field Service',
};

/** Event management of Dynamics 365 Customer Insights - Journeys ("Outbound marketing solutions"). */
const EVENT_MANAGEMENT_SOLUTION: RequiredSolution = {
  uniqueName: 'MicrosoftDynamics_EventManagement',
  displayName: 'Event Management for Dynamics 365',
};

/**
 * The Supply Chain Management customer portal reads sales orders through dual-write
 * (Dynamics-365-Unified-Operations-Public `supply-chain/sales-marketing/customer-portal-setup.md`);
 * unique names from the dual-write "Separated Dual-write Application Orchestration package" article.
 */
const DUAL_WRITE_SOLUTIONS: readonly RequiredSolution[] = [
  { uniqueName: 'DualWriteCore', displayName: 'Dual-write core' },
  { uniqueName: 'Dynamics365SupplyChainExtended', displayName: 'Dynamics 365 Supply Chain Extended' },
];

const ONE_PER_ENVIRONMENT = 'Only one site of this template can exist per environment.';

/** Power Pages templates: the documents' Custom Portal. */
function powerPages(
  id: string,
  displayName: string,
  enhancedDataModelSolution: string,
  aliases: readonly string[],
  sameAs?: string,
): PortalTemplate {
  return {
    id,
    displayName,
    templateType: 'Power Pages',
    seedPortal: 'Custom Portal',
    audiences: seedAudiencesOf('Custom Portal'),
    offered: sameAs === undefined,
    ...(sameAs ? { sameAs } : {}),
    requiredSolutions: [],
    enhancedDataModelSolution,
    features: featuresOf('Custom Portal'),
    aliases,
    note: sameAs ? `An older name of ${sameAs}.` : '',
  };
}

/** Every template the admin API accepts, Dynamics 365 ones first. */
export const PORTAL_TEMPLATES: readonly PortalTemplate[] = [
  {
    id: 'CustomerSelfServicePortal',
    displayName: 'Customer Self Service Portal',
    templateType: 'Dynamics 365',
    seedPortal: 'Customer Self-Service Portal',
    audiences: seedAudiencesOf('Customer Self-Service Portal'),
    offered: true,
    requiredSolutions: [],
    enhancedDataModelSolution: 'PowerPages_CustomerPortal_V2',
    features: featuresOf('Customer Self-Service Portal'),
    aliases: ['customer self service', 'self service', 'customer portal', 'customer', 'support portal'],
    note: '',
  },
  {
    id: 'PartnerPortal',
    displayName: 'Partner Portal',
    templateType: 'Dynamics 365',
    seedPortal: 'Partner Portal',
    audiences: seedAudiencesOf('Partner Portal'),
    offered: true,
    requiredSolutions: [],
    enhancedDataModelSolution: 'PowerPages_PartnerPortal_V2',
    features: featuresOf('Partner Portal'),
    aliases: ['partner', 'partner portal', 'partners portal', 'prm'],
    note: `Project Service and Field Service integration come from add-on solutions installed on the partner site afterwards. ${ONE_PER_ENVIRONMENT}`,
  },
  {
    id: 'Community',
    displayName: 'Community',
    templateType: 'Dynamics 365',
    seedPortal: 'Community Portal',
    audiences: seedAudiencesOf('Community Portal'),
    offered: true,
    requiredSolutions: [],
    enhancedDataModelSolution: 'PowerPages_CommunityPortal_V2',
    features: featuresOf('Community Portal'),
    aliases: ['community', 'community portal', 'forum', 'forums'],
    note: '',
  },
  {
    id: 'EmployeeSelfServicePortal',
    displayName: 'Employee Self Service Portal',
    templateType: 'Dynamics 365',
    seedPortal: 'Employee Self-Service Portal',
    audiences: seedAudiencesOf('Employee Self-Service Portal'),
    offered: true,
    requiredSolutions: [],
    enhancedDataModelSolution: 'PowerPages_ESSPortal_V2',
    features: featuresOf('Employee Self-Service Portal'),
    aliases: ['employee self service', 'employee portal', 'employee', 'intranet'],
    note: '',
  },
  {
    id: 'FieldService',
    displayName: 'Field Service',
    templateType: 'Dynamics 365',
    audiences: ['partner', 'customer'],
    offered: true,
    requiredSolutions: [FIELD_SERVICE_SOLUTION],
    features: [],
    aliases: ['field service', 'field service portal', 'field service customer'],
    note: `The Field Service customer site: customers book and manage appointments and track the technician. It is not Partner Field Service, which is installed on a partner site. ${ONE_PER_ENVIRONMENT}`,
  },
  {
    id: 'CustomerPortal',
    displayName: 'Customer Portal',
    templateType: 'Dynamics 365',
    audiences: ['partner', 'customer'],
    offered: true,
    requiredSolutions: DUAL_WRITE_SOLUTIONS,
    features: [],
    aliases: ['supply chain', 'supply chain customer', 'scm', 'b2b'],
    note: `The Supply Chain Management customer site: business customers create and view sales orders. It is not the customer self-service portal. ${ONE_PER_ENVIRONMENT}`,
  },
  {
    id: 'EventPortal',
    displayName: 'Event Portal',
    templateType: 'Dynamics 365',
    audiences: ['partner', 'customer'],
    offered: true,
    requiredSolutions: [EVENT_MANAGEMENT_SOLUTION],
    features: [],
    aliases: ['event portal', 'events portal', 'event registration'],
    note: 'Event registration for the event management of Dynamics 365 Marketing (Customer Insights - Journeys).',
  },
  powerPages('DefaultPortalTemplate', 'Starter Layout 1', 'DefaultPortalTemplate_V2', [
    'custom',
    'custom portal',
    'custom site',
    'starter',
    'starter layout',
    'starter layout 1',
  ]),
  powerPages('StarterLayout1', 'Starter Layout 1', 'DefaultPortalTemplate_V2', [], 'DefaultPortalTemplate'),
  powerPages('StarterLayout2', 'Starter Layout 2', 'PowerPages_BlankDesign002_V2', ['starter layout 2']),
  powerPages('StarterLayout3', 'Starter Layout 3', 'PowerPages_BlankDesign003_V2', ['starter layout 3']),
  powerPages('StarterLayout4', 'Starter Layout 4', 'PowerPages_BlankDesign004_V2', ['starter layout 4']),
  powerPages('StarterLayout5', 'Starter Layout 5', 'PowerPages_BlankDesign005_V2', ['starter layout 5']),
  powerPages('BlankPage', 'Blank Page', 'PowerPages_BlankTemplate_V2', ['blank', 'blank page', 'blank site']),
  powerPages('FAQ', 'Frequently Asked Questions', 'PowerPages_FAQ_V2', ['faq', 'frequently asked questions']),
  powerPages('BookMeetings', 'Schedule and Manage Meetings', 'PowerPages_BookMeeting_V2', [
    'book meetings',
    'book a meeting',
    'schedule meetings',
    'meetings',
  ]),
  powerPages(
    'PowerPortals_BookMeeting',
    'Schedule and Manage Meetings',
    'PowerPages_BookMeeting_V2',
    [],
    'BookMeetings',
  ),
  powerPages('ProgramRegistration', 'Program Registration', 'PowerPages_ProgramRegistration_V2', [
    'program registration',
  ]),
  powerPages(
    'PowerPortals_ProgramRegistration',
    'Program Registration',
    'PowerPages_ProgramRegistration_V2',
    [],
    'ProgramRegistration',
  ),
  powerPages('BuildingPermit', 'Application Processing', 'PowerPages_BuildingPermit_V2', [
    'application processing',
    'building permit',
    'permit',
  ]),
];

/** The template with this name (case-insensitive, as people type it), or undefined. */
export function findTemplate(id: string): PortalTemplate | undefined {
  const wanted = id.trim().toLowerCase();
  return PORTAL_TEMPLATES.find((t) => t.id.toLowerCase() === wanted);
}

/** True when `name` is exactly one of the API's documented `templateName` values. */
export function isDocumentedTemplateName(name: string): boolean {
  return PORTAL_TEMPLATES.some((t) => t.id === name);
}

/** Templates an audience may use, older names included. */
export function templatesFor(audience: Audience): PortalTemplate[] {
  return PORTAL_TEMPLATES.filter((t) => t.audiences.includes(audience));
}

/** The choices to offer an audience (each template once), or everyone when no audience is given. */
export function offeredTemplatesFor(audience?: Audience): PortalTemplate[] {
  return PORTAL_TEMPLATES.filter((t) => t.offered && (!audience || t.audiences.includes(audience)));
}

/**
 * The names an audience may choose, short enough for a message: the Dynamics 365 templates by
 * display name and API name, then the Custom Portal (Power Pages) templates by API name.
 */
export function describeChoices(audience: Audience): string {
  const offered = offeredTemplatesFor(audience);
  const dynamics = offered
    .filter((t) => t.templateType === 'Dynamics 365')
    .map((t) => `${t.displayName} (${t.id})`);
  const powerPages = offered.filter((t) => t.templateType === 'Power Pages').map((t) => t.id);
  if (powerPages.length > 0) dynamics.push(`a Custom Portal template (${powerPages.join(', ')})`);
  return dynamics.length > 1
    ? `${dynamics.slice(0, -1).join(', ')} or ${dynamics.at(-1)}`
    : (dynamics[0] ?? '');
}

/** "Partner Portal (PartnerPortal)", or "Custom Portal: Blank Page (BlankPage)". */
export function templateLabel(template: PortalTemplate): string {
  const family = template.templateType === 'Power Pages' ? 'Custom Portal: ' : '';
  return `${family}${template.displayName} (${template.id})`;
}

/**
 * The audience a template is built for, when a request does not say: `PartnerPortal` → partner,
 * `EmployeeSelfServicePortal` → employee, everything else (and unknown names) → customer.
 */
export function defaultAudienceOf(templateId: string): Audience {
  const audiences = findTemplate(templateId)?.audiences ?? [];
  return audiences.includes('customer') ? 'customer' : (audiences[0] ?? 'customer');
}

/** The template's required solutions that are not among the installed unique names. */
export function missingSolutions(
  template: PortalTemplate,
  installedUniqueNames: readonly string[],
): RequiredSolution[] {
  const installed = new Set(installedUniqueNames.map((n) => n.toLowerCase()));
  return template.requiredSolutions.filter((r) => !installed.has(r.uniqueName.toLowerCase()));
}

/** What a template needs before provisioning, in words ("" when nothing). */
export function requirementsOf(template: PortalTemplate): string {
  const needs = template.requiredSolutions.map((s) => s.displayName);
  if (template.templateType === 'Dynamics 365' && needs.length === 0) {
    const apps = DYNAMICS_365_APPS.map((a) => a.replace(/^Dynamics 365 /, ''));
    needs.push(`a Dynamics 365 app in the environment (${apps.slice(0, -1).join(', ')} or ${apps.at(-1)})`);
  }
  return needs.join(' and ');
}
