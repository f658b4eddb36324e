/**
 * `templates`: what each portal template includes, who it is for, what it needs. Rows follow the
 * product documents' portal options, each under the name the Power Pages admin API takes, then
 * the API's templates the documents do not list; the two partner add-ons say plainly that they
 * are not templates.
 */
import { addOnExplanation, findAddOn, PORTAL_ADD_ONS, type PortalAddOn } from '../domain/portal-add-ons.ts';
import { featuresOf } from '../domain/template-features.ts';
import {
  findTemplate,
  offeredTemplatesFor,
  PORTAL_TEMPLATES,
  type PortalTemplate,
  requirementsOf,
  templateLabel,
} from '../domain/templates.ts';
import type { View } from '../views/view.ts';
import { defineCommand } from './index-helpers.ts';

type TemplateRow = Extract<View, { type: 'templates' }>['templates'][number];

function templateRow(t: PortalTemplate): TemplateRow {
  const older = PORTAL_TEMPLATES.filter((o) => o.sameAs === t.id).map((o) => o.id);
  const notes = [t.note, older.length ? `The API also accepts the older name ${older.join(', ')}.` : ''];
  return {
    name: templateLabel(t),
    audiences: t.audiences.join(', '),
    requires: requirementsOf(t),
    features: t.features.join(', '),
    note: notes.filter(Boolean).join(' '),
  };
}

function addOnRow(a: PortalAddOn): TemplateRow {
  return {
    name: `${a.displayName} (not a template in the admin API)`,
    audiences: a.audiences.join(', '),
    requires: a.requiredSolutions.map((s) => s.displayName).join(' and '),
    features: '',
    note: addOnExplanation(a),
  };
}

/** The documents' Custom Portal: today's Power Pages templates, in one row. */
function customPortalRow(): TemplateRow {
  const powerPages = offeredTemplatesFor().filter((t) => t.templateType === 'Power Pages');
  const older = PORTAL_TEMPLATES.filter((t) => t.templateType === 'Power Pages' && !t.offered);
  return {
    name: 'Custom Portal (Power Pages templates)',
    audiences: powerPages[0]?.audiences.join(', ') ?? '',
    requires: '',
    features: featuresOf('Custom Portal').join(', '),
    note:
      `Choose one of ${powerPages.map((t) => `${t.displayName} (${t.id})`).join(', ')}. ` +
      `${older.map((t) => t.id).join(', ')} are older names the API also accepts.`,
  };
}

/** Every row, in the documents' order, then the API's templates they do not list. */
function overviewRows(): TemplateRow[] {
  const row = (id: string) => templateRow(findTemplate(id)!);
  return [
    row('CustomerSelfServicePortal'),
    customPortalRow(),
    row('PartnerPortal'),
    ...PORTAL_ADD_ONS.map(addOnRow),
    row('Community'),
    row('EmployeeSelfServicePortal'),
    ...offeredTemplatesFor()
      .filter((t) => t.templateType === 'Dynamics 365' && !t.seedPortal)
      .map(templateRow),
  ];
}

/** {@link overviewRows}, once worked out. */
let overview: readonly TemplateRow[] | undefined;

/** The rows answering "what does <template> include?"; every row when nothing is named. */
export function templateRows(templateId?: string): TemplateRow[] {
  const template = templateId ? findTemplate(templateId) : undefined;
  if (template) return [templateRow(template)];
  const addOn = templateId ? findAddOn(templateId) : undefined;
  if (addOn) return [addOnRow(addOn)];
  // The catalogue is fixed, so its rows are worked out once; each answer gets its own copies.
  overview ??= overviewRows();
  return overview.map((row) => ({ ...row }));
}

export const templatesCommand = defineCommand<'templates'>({
  kind: 'templates',
  title: 'Templates',
  summary: 'what each portal template includes',
  examples: ['templates', 'what does the partner portal include?'],
  permission: 'view',
  async run(_ctx, intent) {
    return [{ view: { type: 'templates', templates: templateRows(intent.templateId) } }];
  },
});
