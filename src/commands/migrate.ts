/** `migrate A to B`: configuration migration between environments. */
import { defineCommand, say } from './index-helpers.ts';

export const migrateCommand = defineCommand<'migrate'>({
  kind: 'migrate',
  title: 'Migrate configuration',
  summary: 'copy a site’s configuration from one environment to another',
  examples: ['migrate dev to prod site contoso-dev dry run'],
  permission: 'operate',
  sideEffects: 'changes configuration records in the target environment',
  destructive: true,
  confirmation: 'type-site-name',
  approval: 'protected-target',
  environmentOf: (intent) => intent.target,
  async run() {
    return say(
      'Migrating configuration between environments is not available in this version of PortalOps yet.',
      {
        tone: 'warning',
        suggestions: ['status <site>', 'reset <site>'],
      },
    );
  },
});
