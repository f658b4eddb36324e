import { describe, expect, it } from 'vitest';
import { templateRows } from '../../../src/commands/templates.ts';

describe('templates answer', () => {
  it('lists the documents’ portal options under the API’s names, then the API’s other templates', () => {
    expect(templateRows().map((r) => r.name)).toEqual([
      'Customer Self Service Portal (CustomerSelfServicePortal)',
      'Custom Portal (Power Pages templates)',
      'Partner Portal (PartnerPortal)',
      'Partner Project Service (not a template in the admin API)',
      'Partner Field Service (not a template in the admin API)',
      'Community (Community)',
      'Employee Self Service Portal (EmployeeSelfServicePortal)',
      'Field Service (FieldService)',
      'Customer Portal (CustomerPortal)',
      'Event Portal (EventPortal)',
    ]);
  });

  it('answers what the partner portal includes', () => {
    const [row, ...rest] = templateRows('PartnerPortal');
    expect(rest).toEqual([]);
    expect(row).toMatchObject({
      audiences: 'partner',
      requires: expect.stringContaining('Dynamics 365 app'),
    });
    expect(row?.features).toContain('Partner Onboarding');
    expect(row?.features).not.toContain('Forums');
  });

  it('says plainly that a partner add-on is not a template, and how to get it', () => {
    const [row] = templateRows('partner-field-service');
    expect(row?.note).toMatch(
      /^Partner Field Service is not a template of the Power Pages admin API\. Provision a Partner Portal \(PartnerPortal\)/,
    );
    expect(row?.requires).toBe('Partner Portal and Dynamics 365 Field Service');
  });

  it('names the Custom Portal templates and the older names the API also accepts', () => {
    const custom = templateRows().find((r) => r.name.startsWith('Custom Portal'))!;
    expect(custom.note).toContain('Blank Page (BlankPage)');
    expect(custom.note).toContain(
      'StarterLayout1, PowerPortals_BookMeeting, PowerPortals_ProgramRegistration are older names',
    );
    expect(templateRows('StarterLayout1')[0]?.note).toBe('An older name of DefaultPortalTemplate.');
    expect(templateRows('FieldService')[0]?.note).toContain('It is not Partner Field Service');
  });

  it('gives every answer rows of its own: changing one answer does not change the next', () => {
    const first = templateRows();
    first[0]!.name = 'changed';
    first.pop();
    const second = templateRows();
    expect(second[0]!.name).toBe('Customer Self Service Portal (CustomerSelfServicePortal)');
    expect(second).toHaveLength(first.length + 1);
  });
});
