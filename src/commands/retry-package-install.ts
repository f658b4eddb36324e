/**
 * `retry the package install for <site> in <env>`: the site's portal package failed to install
 * (it shows "Getting set up"); check the language and prerequisites, retry the install through
 * the Power Platform API and follow it until the site is set up. Where the API cannot, the
 * answer links the admin-centre page.
 */
import { askEnvironment, defineCommand, say } from './index-helpers.ts';
import { retryInstallAction } from './site-fix-actions.ts';
import { startSiteJob } from './site-job.ts';

export const retryPackageInstallCommand = defineCommand<'retry-package-install'>({
  kind: 'retry-package-install',
  title: 'Retry the package install',
  summary: 'retry a site’s failed portal package install (the site shows "Getting set up")',
  examples: [
    'retry the package install for contoso-setup in dev',
    'reinstall the package of contoso-setup in dev',
  ],
  permission: 'operate',
  sideEffects: 'installs the site’s portal package in the environment again',
  actions: [retryInstallAction],
  environmentOf: (intent) => intent.environment,
  async plan(_ctx, intent) {
    return [
      `Check that ${intent.site ?? 'the site'}'s package install failed, that the site's language is the environment's default language, that its template's prerequisite solutions are installed, and that you are a System Administrator`,
      'Retry the failed portal package install once, then follow it until the site is set up',
    ];
  },
  async run(ctx, intent) {
    if (!intent.site)
      return say('Which site? For example "retry the package install for contoso-setup in dev".');
    if (!intent.environment)
      return askEnvironment(ctx, 'retry the package install', intent.unknownEnvironment);
    const env = ctx.deps.registry.get(intent.environment);
    return startSiteJob(ctx, 'retry-package-install', env, intent.site);
  },
});
