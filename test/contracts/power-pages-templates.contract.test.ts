/**
 * Template names against the documented `WebsiteTemplateName` enum (api-version 2024-10-01):
 * the catalog holds exactly the documented values, and the simulator's create answers an
 * undocumented name the way the service does, with a 400 and an ErrorMessage body.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingSolutions, PORTAL_TEMPLATES } from '../../src/domain/templates.ts';
import type { SimEnvironment } from '../../src/simulator/model.ts';
import type { RunningSimulator } from '../../src/simulator/simulator.ts';
import { type PowerPagesOverHttp, startPowerPagesOverHttp } from '../support/power-pages-over-http.ts';

const sample = (name: string) =>
  JSON.parse(readFileSync(new URL(`./samples/power-pages-api/${name}`, import.meta.url), 'utf8'));

const templates = sample('create-website.templates-by-api-version.schema-only.json');
const documented = templates['2024-10-01'] as { value: string; displayName: string; templateType: string }[];
const edmSolutions = Object.entries(templates).find(([key]) => key.startsWith('EDM solution'))![1] as Record<
  string,
  string
>;
const errorShape = sample('error-body.schema-and-codes.json').shape.error as Record<string, unknown>;

describe('template catalog', () => {
  it('holds exactly the documented templateName values of 2024-10-01, with their display names and types', () => {
    expect(documented).toHaveLength(20);
    expect(PORTAL_TEMPLATES.map((t) => t.id).sort()).toEqual(documented.map((d) => d.value).sort());
    for (const d of documented) {
      const t = PORTAL_TEMPLATES.find((p) => p.id === d.value)!;
      expect({ displayName: t.displayName, templateType: t.templateType }, d.value).toEqual({
        displayName: d.displayName,
        templateType: d.templateType,
      });
    }
  });

  it('includes every 2022-03-01-preview name', () => {
    for (const name of templates['2022-03-01-preview'] as string[])
      expect(PORTAL_TEMPLATES.some((t) => t.id === name)).toBe(true);
  });

  it('names the enhanced-data-model solution the documents give for each template', () => {
    const byTemplate: Record<string, string> = {
      DefaultPortalTemplate: 'Starter layout 1',
      StarterLayout1: 'Starter layout 1',
      StarterLayout2: 'Starter layout 2',
      StarterLayout3: 'Starter layout 3',
      StarterLayout4: 'Starter layout 4',
      StarterLayout5: 'Starter layout 5',
      BlankPage: 'Blank page',
      FAQ: 'FAQ',
      BuildingPermit: 'Application processing',
      ProgramRegistration: 'Program registration',
      BookMeetings: 'Schedule and manage meetings',
      Community: 'Community Portal (Dynamics 365)',
      CustomerSelfServicePortal: 'Customer Self-Service Portal (Dynamics 365)',
      EmployeeSelfServicePortal: 'Employee Self-Service Portal (Dynamics 365)',
      PartnerPortal: 'Partner Portal (Dynamics 365)',
    };
    for (const [id, key] of Object.entries(byTemplate)) {
      expect(PORTAL_TEMPLATES.find((t) => t.id === id)?.enhancedDataModelSolution, id).toBe(
        edmSolutions[key],
      );
    }
  });
});

describe('simulated create with a templateName', () => {
  let api: PowerPagesOverHttp;
  let sim: RunningSimulator;
  let dev: SimEnvironment;

  beforeAll(async () => {
    api = await startPowerPagesOverHttp();
    ({ sim, dev } = api);
  });
  afterAll(() => sim.close());

  const create = (subdomain: string, templateName: unknown) => api.createWebsite(subdomain, { templateName });

  it('refuses an undocumented name with a 400 and an ErrorMessage body, and accepts the documented one', async () => {
    const refused = await create('contract-old-name', 'CustomerSelfServiceTemplate');
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { error: Record<string, unknown> };
    expect(Object.keys(body)).toEqual(['error']);
    expect(typeof body.error.code).toBe('string');
    expect(body.error.message).toContain('CustomerSelfServiceTemplate');
    for (const key of Object.keys(body.error)) expect(Object.keys(errorShape)).toContain(key);

    const accepted = await create('contract-real-name', 'CustomerSelfServicePortal');
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get('operation-location')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  });

  it('refuses the documents’ add-ons, other undocumented names, a missing one and a non-string', async () => {
    const invented = [
      'partner-field-service',
      'PartnerFieldService',
      'PartnerProjectService',
      '',
      undefined,
      42,
    ];
    for (const [i, name] of invented.entries()) {
      expect((await create(`contract-invented-${i}`, name)).status, String(name)).toBe(400);
    }
    expect(sim.world.sitesIn(dev.id).some((s) => s.subdomain.startsWith('contract-invented'))).toBe(false);
  });

  it('accepts every documented name whose prerequisites the environment has', async () => {
    const installed = dev.solutions.map((s) => s.uniqueName);
    const ready = PORTAL_TEMPLATES.filter((t) => missingSolutions(t, installed).length === 0);
    expect(ready.map((t) => t.id)).toContain('FieldService');
    for (const t of ready) {
      expect((await create(`contract-${t.id.toLowerCase().replace(/_/g, '-')}`, t.id)).status, t.id).toBe(
        202,
      );
    }
    const notReady = await create('contract-events', 'EventPortal');
    expect(notReady.status).toBe(400);
    expect(((await notReady.json()) as { error: { message: string } }).error.message).toContain(
      'Event Management',
    );
  });
});
