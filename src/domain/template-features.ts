/**
 * The portal options of the product documents ("Provision a portal", step 9) and their feature
 * comparison table, kept as data so `templates` can say what each one includes. These are the
 * admin centre's words from before Power Pages; `templates.ts` maps them onto the names the
 * Power Pages admin API takes.
 */

/** Who will visit the site; decides which templates are offered. */
export type Audience = 'partner' | 'customer' | 'employee';

/** The portal options the product documents list, by the name they give them. */
export type SeedPortal =
  | 'Customer Self-Service Portal'
  | 'Custom Portal'
  | 'Partner Portal'
  | 'Partner Project Service'
  | 'Partner Field Service'
  | 'Community Portal'
  | 'Employee Self-Service Portal';

/**
 * What each audience is offered, in the documents' order: Partner → customer self-service,
 * custom, partner, partner project service, partner field service, community; Customer →
 * customer self-service, custom, community; Employee → employee self-service.
 */
export const SEED_AUDIENCE_OPTIONS: Readonly<Record<Audience, readonly SeedPortal[]>> = {
  partner: [
    'Customer Self-Service Portal',
    'Custom Portal',
    'Partner Portal',
    'Partner Project Service',
    'Partner Field Service',
    'Community Portal',
  ],
  customer: ['Customer Self-Service Portal', 'Custom Portal', 'Community Portal'],
  employee: ['Employee Self-Service Portal'],
};

/** The audiences offered a portal option, in the order partner, customer, employee. */
export function seedAudiencesOf(portal: SeedPortal): Audience[] {
  return (['partner', 'customer', 'employee'] as const).filter((a) =>
    SEED_AUDIENCE_OPTIONS[a].includes(portal),
  );
}

/** The columns of the feature table (the two partner add-ons have no column of their own). */
export type FeatureColumn = Extract<
  SeedPortal,
  | 'Customer Self-Service Portal'
  | 'Partner Portal'
  | 'Employee Self-Service Portal'
  | 'Community Portal'
  | 'Custom Portal'
>;

const CSS: FeatureColumn = 'Customer Self-Service Portal';
const PARTNER: FeatureColumn = 'Partner Portal';
const ESS: FeatureColumn = 'Employee Self-Service Portal';
const COMMUNITY: FeatureColumn = 'Community Portal';
const CUSTOM: FeatureColumn = 'Custom Portal';
const ALL: readonly FeatureColumn[] = [CSS, PARTNER, ESS, COMMUNITY, CUSTOM];

/** The feature table, row by row: each feature and the portal options that include it. */
export const FEATURE_TABLE = [
  { feature: 'World Ready', portals: ALL },
  { feature: 'Multi-Language Support', portals: ALL },
  { feature: 'Portal Administration', portals: ALL },
  { feature: 'Customization and Extensibility', portals: ALL },
  { feature: 'Theming', portals: ALL },
  { feature: 'Content Management', portals: [CSS, ESS, COMMUNITY] },
  { feature: 'Knowledge Management', portals: [CSS, PARTNER, ESS, COMMUNITY] },
  { feature: 'Support/Case Management', portals: [CSS, ESS, COMMUNITY] },
  { feature: 'Forums', portals: [CSS, ESS, COMMUNITY] },
  { feature: 'Faceted Search', portals: [CSS, ESS] },
  { feature: 'Profile Management', portals: [CSS, ESS] },
  { feature: 'Subscribe to Forum Thread', portals: [CSS, ESS] },
  { feature: 'Comments', portals: [CSS, ESS, COMMUNITY] },
  { feature: 'Azure AD Authentication', portals: [ESS] },
  { feature: 'Ideas', portals: [COMMUNITY] },
  { feature: 'Blogs', portals: [COMMUNITY] },
  { feature: 'Project Service Automation Integration', portals: [PARTNER] },
  { feature: 'Field Service Integration', portals: [PARTNER] },
  { feature: 'Partner Onboarding', portals: [PARTNER] },
  { feature: 'Portal Base', portals: ALL },
  { feature: 'Portal Workflows', portals: ALL },
  { feature: 'Web Notifications', portals: ALL },
  { feature: 'Microsoft Identity', portals: ALL },
  { feature: 'Identity Workflows', portals: ALL },
  { feature: 'Web Forms', portals: ALL },
  { feature: 'Feedback', portals: ALL },
] as const satisfies readonly { feature: string; portals: readonly FeatureColumn[] }[];

/** One feature of the table. */
export type TemplateFeature = (typeof FEATURE_TABLE)[number]['feature'];

/** Every feature of the table, in its order. */
export const TEMPLATE_FEATURES: readonly TemplateFeature[] = FEATURE_TABLE.map((row) => row.feature);

/** The features a portal option includes, in the table's order. */
export function featuresOf(portal: FeatureColumn): TemplateFeature[] {
  return FEATURE_TABLE.filter((row) => (row.portals as readonly FeatureColumn[]).includes(portal)).map(
    (row) => row.feature,
  );
}
