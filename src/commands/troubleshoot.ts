/** `troubleshoot <symptom|code>`: plain-words guidance from the catalog. */
import { guidanceFor, searchGuidance } from '../guidance/catalog.ts';
import { defineCommand, say } from './index-helpers.ts';

export const troubleshootCommand = defineCommand<'troubleshoot'>({
  kind: 'troubleshoot',
  title: 'Troubleshoot',
  summary: 'what a symptom or error code means and what to do',
  examples: ['troubleshoot getting set up', 'troubleshoot missing_site_app_permission'],
  permission: 'view',
  async run(_ctx, intent) {
    const [best] = searchGuidance(intent.query);
    if (!best)
      return say(
        `I have no advice for "${intent.query}" yet. Describe the symptom differently, or give the error code.`,
        { tone: 'warning' },
      );
    const guidance = guidanceFor(best.code);
    return [
      {
        view: {
          type: 'failure',
          title: guidance.title,
          explanation: guidance.explanation,
          steps: guidance.steps,
          code: guidance.code,
          buttons: [],
        },
      },
    ];
  },
});
