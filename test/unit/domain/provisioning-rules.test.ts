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
  templateId: 'PartnerPortalTemplate',
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
    expect(codes({ templateId: 'PartnerFieldServiceTemplate' })).toEqual([]);
    expect(
      codes({ audience: 'employee', templateId: 'EmployeeSelfServiceTemplate', languageLcid: 1036 }),
    ).toEqual([]);
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

  it('offers each audience only its templates', () => {
    expect(codes({ audience: 'customer', templateId: 'PartnerPortalTemplate' })).toEqual([
      'template_not_for_audience',
    ]);
    expect(codes({ audience: 'employee', templateId: 'CommunityPortalTemplate' })).toEqual([
      'template_not_for_audience',
    ]);
    expect(codes({ templateId: 'NoSuchTemplate' })).toEqual(['template_unknown']);
  });

  it('checks the solutions partner add-on templates need', () => {
    const [problem] = validateProvisionRequest(
      { ...request, templateId: 'PartnerProjectServiceTemplate' },
      context,
    );
    expect(problem).toMatchObject({ field: 'templateId', code: 'prerequisite_missing' });
    expect(problem?.message).toContain('Project Service Automation');
    expect(codes({ templateId: 'PartnerFieldServiceTemplate' }, { installedSolutions: [] })).toEqual([
      'prerequisite_missing',
    ]);
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
