import { describe, expect, it } from 'vitest';
import {
  type ProvisionContext,
  type ProvisionRequest,
  suggestSubdomain,
  validateProvisionRequest,
} from '../../../src/domain/provisioning-rules.ts';

const request: ProvisionRequest = {
  name: 'Partner hub',
  subdomain: 'partner-hub',
  languageLcid: 1033,
  audience: 'partner',
  templateId: 'PartnerPortal',
  siteAdministrator: 'alice@contoso.com',
};

const context: ProvisionContext = {
  installedLanguages: [1033, 1036, 1025],
  existingSubdomains: ['contoso-dev'],
  installedSolutions: [
    { uniqueName: 'PartnerPortal', version: '9.3' },
    { uniqueName: 'FieldService', version: '8.8' },
  ],
  requesterRoles: ['System Administrator'],
  siteAdministratorRoles: ['System Administrator'],
};

const codes = (r: Partial<ProvisionRequest>, c: Partial<ProvisionContext> = {}) =>
  validateProvisionRequest({ ...request, ...r }, { ...context, ...c }).map((p) => p.code);

describe('validateProvisionRequest', () => {
  it('accepts a request that meets every rule', () => {
    expect(codes({})).toEqual([]);
    expect(codes({ templateId: 'FieldService' })).toEqual([]);
    expect(
      codes({ audience: 'employee', templateId: 'EmployeeSelfServicePortal', languageLcid: 1036 }),
    ).toEqual([]);
    expect(codes({ audience: 'customer', templateId: 'blankpage' })).toEqual([]);
  });

  it('needs System Administrator for the requester and the site administrator', () => {
    expect(codes({}, { requesterRoles: ['System Customizer'] })).toEqual(['requester_not_admin']);
    expect(codes({}, { siteAdministratorRoles: ['Basic User'] })).toEqual(['administrator_not_admin']);
    expect(codes({}, { siteAdministratorRoles: undefined })).toEqual(['administrator_unknown']);
    expect(codes({ siteAdministrator: ' ' })).toEqual(['administrator_missing']);
  });

  it('accepts only letters, digits and hyphens in a subdomain nobody uses, and says it is final', () => {
    expect(codes({ subdomain: 'partner_hub' })).toEqual(['subdomain_invalid']);
    expect(codes({ subdomain: '-hub' })).toEqual(['subdomain_invalid']);
    expect(codes({ subdomain: 'a'.repeat(64) })).toEqual(['subdomain_invalid']);
    expect(codes({ subdomain: 'Contoso-Dev' })).toEqual(['subdomain_taken']);
    expect(codes({ subdomain: '' })).toEqual(['subdomain_missing']);
    const [problem] = validateProvisionRequest({ ...request, subdomain: 'Partner Hub!' }, context);
    expect(problem?.fix).toContain('"partner-hub"');
    expect(problem?.fix).toContain('cannot be changed');
  });

  it('refuses Arabic and Hebrew, and languages the environment lacks', () => {
    expect(codes({ languageLcid: 1025 })).toEqual(['language_not_supported']);
    expect(codes({ languageLcid: 1037 })).toEqual(['language_not_supported']);
    const [missing] = validateProvisionRequest({ ...request, languageLcid: 1031 }, context);
    expect(missing?.code).toBe('language_not_installed');
    expect(missing?.fix).toBe(
      'Pick one of English (1033), French (1036), or enable the language in the environment first.',
    );
  });

  it('offers each audience only its templates, naming the ones it may use', () => {
    expect(codes({ audience: 'customer', templateId: 'PartnerPortal' })).toEqual([
      'template_not_for_audience',
    ]);
    const [employee] = validateProvisionRequest(
      { ...request, audience: 'employee', templateId: 'Community' },
      context,
    );
    expect(employee?.code).toBe('template_not_for_audience');
    expect(employee?.fix).toBe(
      'For employees choose Employee Self Service Portal (EmployeeSelfServicePortal).',
    );
    expect(codes({ audience: 'employee', templateId: 'StarterLayout2' })).toEqual([
      'template_not_for_audience',
    ]);
  });

  it('refuses names the admin API does not take, suggesting the real one', () => {
    const [old] = validateProvisionRequest(
      { ...request, audience: 'customer', templateId: 'CustomerSelfServiceTemplate' },
      context,
    );
    expect(old).toMatchObject({ field: 'templateId', code: 'template_unknown' });
    expect(old?.fix).toMatch(
      /^Did you mean CustomerSelfServicePortal\? For customers choose Customer Self Service Portal \(CustomerSelfServicePortal\), Community \(Community\), /,
    );
    expect(old?.fix).toMatch(
      / or a Custom Portal template \(DefaultPortalTemplate, StarterLayout2, .*BlankPage.*\)\.$/,
    );
    expect(old?.fix).not.toContain('PartnerPortal');
    expect(codes({ templateId: 'NoSuchTemplate' })).toEqual(['template_unknown']);
  });

  it('says plainly that Partner Project Service and Partner Field Service are not templates', () => {
    for (const id of ['partner-project-service', 'partner-field-service']) {
      const [problem] = validateProvisionRequest({ ...request, templateId: id }, context);
      expect(problem).toMatchObject({ field: 'templateId', code: 'template_not_offered' });
      expect(problem?.message).toMatch(/is not a template of the Power Pages admin API\.$/);
      expect(problem?.fix).toContain('Provision a Partner Portal (PartnerPortal)');
    }
    const [field] = validateProvisionRequest({ ...request, templateId: 'partner-field-service' }, context);
    expect(field?.fix).toContain('needs Partner Portal and Dynamics 365 Field Service installed first');
  });

  it('checks the solutions a template needs before it is submitted', () => {
    const [problem] = validateProvisionRequest(
      { ...request, templateId: 'FieldService' },
      { ...context, installedSolutions: [] },
    );
    expect(problem).toMatchObject({ field: 'templateId', code: 'prerequisite_missing' });
    expect(problem?.message).toBe('Field Service needs Dynamics 365 Field Service installed first.');
    expect(
      codes(
        { templateId: 'fieldservice' },
        { installedSolutions: [{ uniqueName: 'fieldservice', version: '8' }] },
      ),
    ).toEqual([]);
    const [dualWrite] = validateProvisionRequest({ ...request, templateId: 'CustomerPortal' }, context);
    expect(dualWrite?.message).toBe(
      'Customer Portal needs Dual-write core and Dynamics 365 Supply Chain Extended installed first.',
    );
    expect(codes({ templateId: 'EventPortal' })).toEqual(['prerequisite_missing']);
    expect(codes({ templateId: 'PartnerPortal' }, { installedSolutions: [] })).toEqual([]);
  });

  it('reports every problem at once, each with its field', () => {
    const problems = validateProvisionRequest(
      { ...request, name: '', subdomain: 'bad name', languageLcid: 1037, audience: 'employee' },
      { ...context, requesterRoles: [] },
    );
    expect(problems.map((p) => p.field)).toEqual([
      'requester',
      'name',
      'subdomain',
      'languageLcid',
      'templateId',
    ]);
    expect(problems.every((p) => p.fix.length > 0)).toBe(true);
  });

  it('suggests a valid subdomain from what was typed', () => {
    expect(suggestSubdomain('  Contoso Partners!! ')).toBe('contoso-partners');
    expect(suggestSubdomain('***')).toBe('my-site');
  });
});
