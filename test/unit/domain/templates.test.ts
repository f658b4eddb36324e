import { describe, expect, it } from 'vitest';
import { addOnExplanation, findAddOn, PORTAL_ADD_ONS } from '../../../src/domain/portal-add-ons.ts';
import { featuresOf, SEED_AUDIENCE_OPTIONS } from '../../../src/domain/template-features.ts';
import {
  defaultAudienceOf,
  findTemplate,
  missingSolutions,
  offeredTemplatesFor,
  PORTAL_TEMPLATES,
  requirementsOf,
  templatesFor,
} from '../../../src/domain/templates.ts';

const ids = (templates: { id: string }[]) => templates.map((t) => t.id);

const POWER_PAGES_OFFERED = [
  'DefaultPortalTemplate',
  'StarterLayout2',
  'StarterLayout3',
  'StarterLayout4',
  'StarterLayout5',
  'BlankPage',
  'FAQ',
  'BookMeetings',
  'ProgramRegistration',
  'BuildingPermit',
];

describe('audiences mapped onto the admin API template names', () => {
  it('offers employees the employee self-service portal only', () => {
    expect(ids(offeredTemplatesFor('employee'))).toEqual(['EmployeeSelfServicePortal']);
    expect(ids(templatesFor('employee'))).toEqual(['EmployeeSelfServicePortal']);
  });

  it('offers customers self-service, community and the custom (Power Pages) templates, but not the partner portal', () => {
    expect(ids(offeredTemplatesFor('customer'))).toEqual([
      'CustomerSelfServicePortal',
      'Community',
      'FieldService',
      'CustomerPortal',
      'EventPortal',
      ...POWER_PAGES_OFFERED,
    ]);
  });

  it('offers partners everything customers get plus the partner portal', () => {
    const partner = ids(offeredTemplatesFor('partner'));
    expect(partner).toContain('PartnerPortal');
    expect(partner.filter((id) => id !== 'PartnerPortal')).toEqual(ids(offeredTemplatesFor('customer')));
  });

  it('maps every option the documents give an audience onto a template or an add-on for that audience', () => {
    for (const [audience, options] of Object.entries(SEED_AUDIENCE_OPTIONS)) {
      for (const option of options) {
        const templates = templatesFor(audience as 'partner').filter((t) => t.seedPortal === option);
        const addOns = PORTAL_ADD_ONS.filter(
          (a) => a.displayName === option && a.audiences.includes(audience as 'partner'),
        );
        expect(templates.length + addOns.length, `${audience}: ${option}`).toBeGreaterThan(0);
      }
    }
  });

  it('offers each template once: older names are accepted but point at the offered one', () => {
    const older = PORTAL_TEMPLATES.filter((t) => !t.offered);
    expect(ids(older)).toEqual([
      'StarterLayout1',
      'PowerPortals_BookMeeting',
      'PowerPortals_ProgramRegistration',
    ]);
    for (const t of older) {
      const offered = findTemplate(t.sameAs ?? '');
      expect(offered?.offered, t.id).toBe(true);
      expect(offered?.displayName).toBe(t.displayName);
      expect(offered?.audiences).toEqual(t.audiences);
    }
  });

  it('finds a template by its name whatever the case', () => {
    expect(findTemplate('partnerportal')?.id).toBe('PartnerPortal');
    expect(findTemplate(' Community ')?.id).toBe('Community');
    expect(findTemplate('partner-field-service')).toBeUndefined();
  });

  it('presumes the audience a template is built for when a restart does not say', () => {
    expect(defaultAudienceOf('PartnerPortal')).toBe('partner');
    expect(defaultAudienceOf('EmployeeSelfServicePortal')).toBe('employee');
    expect(defaultAudienceOf('CustomerSelfServicePortal')).toBe('customer');
    expect(defaultAudienceOf('BlankPage')).toBe('customer');
    expect(defaultAudienceOf('NotATemplate')).toBe('customer');
  });
});

describe('prerequisites', () => {
  it('lists the solutions a template needs that are not installed, ignoring case', () => {
    const fieldService = findTemplate('FieldService')!;
    expect(missingSolutions(fieldService, [])).toEqual([
      { uniqueName: 'FieldService', displayName: 'Dynamics 365 Field Service' },
    ]);
    expect(missingSolutions(fieldService, ['MicrosoftPortalBase', 'fieldservice'])).toEqual([]);
    const customerPortal = findTemplate('CustomerPortal')!;
    expect(missingSolutions(customerPortal, ['DualWriteCore']).map((s) => s.uniqueName)).toEqual([
      'Dynamics365SupplyChainExtended',
    ]);
    expect(missingSolutions(findTemplate('BlankPage')!, [])).toEqual([]);
  });

  it('says which Dynamics 365 templates need a Dynamics 365 app and Power Pages ones need nothing', () => {
    expect(requirementsOf(findTemplate('PartnerPortal')!)).toMatch(
      /^a Dynamics 365 app in the environment \(Sales, Customer Service, Field Service, Marketing or Project Operations\)$/,
    );
    expect(requirementsOf(findTemplate('FieldService')!)).toBe('Dynamics 365 Field Service');
    expect(requirementsOf(findTemplate('StarterLayout4')!)).toBe('');
  });

  it('explains the partner add-ons, with the solutions their install needs first', () => {
    expect(findAddOn('Partner-Field-Service')?.requiredSolutions.map((s) => s.uniqueName)).toEqual([
      'PartnerPortal',
      'FieldService',
    ]);
    expect(addOnExplanation(findAddOn('partner-project-service')!)).toBe(
      'Partner Project Service is not a template of the Power Pages admin API. Provision a Partner Portal ' +
        '(PartnerPortal) for a partner audience, then install the Partner Project Service solution on that ' +
        'site; it needs Partner Portal and Project Service Automation installed first.',
    );
  });
});

describe('feature table', () => {
  it('answers what the partner portal includes', () => {
    const partner = findTemplate('PartnerPortal')!.features;
    expect(partner).toEqual(
      expect.arrayContaining([
        'Knowledge Management',
        'Project Service Automation Integration',
        'Field Service Integration',
        'Partner Onboarding',
      ]),
    );
    expect(partner).not.toContain('Forums');
    expect(partner).not.toContain('Content Management');
  });

  it('keeps the columns of the documents', () => {
    expect(featuresOf('Community Portal')).toEqual(expect.arrayContaining(['Ideas', 'Blogs', 'Forums']));
    expect(featuresOf('Community Portal')).not.toContain('Faceted Search');
    expect(
      PORTAL_TEMPLATES.filter((t) => t.features.includes('Azure AD Authentication')).map((t) => t.id),
    ).toEqual(['EmployeeSelfServicePortal']);
    expect(featuresOf('Custom Portal')).toHaveLength(12);
    expect(findTemplate('BlankPage')!.features).toEqual(featuresOf('Custom Portal'));
    expect(findTemplate('FieldService')!.features).toEqual([]);
  });
});
