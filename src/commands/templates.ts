/** `templates`: what each portal template includes, who it is for, what it needs. */
import { PORTAL_TEMPLATES } from '../domain/templates.ts';
import { defineCommand } from './index-helpers.ts';

export const templatesCommand = defineCommand<'templates'>({
  kind: 'templates',
  title: 'Templates',
  summary: 'what each portal template includes',
  examples: ['templates', 'what does the partner portal include?'],
  permission: 'view',
  async run(_ctx, intent) {
    const templates = PORTAL_TEMPLATES.filter((t) => !intent.templateId || t.id === intent.templateId);
    return [
      {
        view: {
          type: 'templates',
          templates: templates.map((t) => ({
            name: t.displayName,
            audiences: t.audiences.join(', '),
            requires: t.requiredSolutions.map((s) => s.displayName).join(' and '),
            features: t.features.join(', '),
          })),
        },
      },
    ];
  },
});
