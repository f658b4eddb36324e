import type { Command } from 'commander';
import { siteStateOf } from '../domain/site-state.ts';
import { signInToTenants } from '../platform/auth/sign-in-plan.ts';
import type { CliIo } from './main.ts';
import { withRuntime } from './with-runtime.ts';

/** `portalops login | logout | environments | sites`: sign-in and read-only looks at the platform. */
export function registerPlatformCommands(program: Command, io: CliIo): void {
  program
    .command('login')
    .description(
      'sign in with a device code, once per tenant of the environments file, consenting to every service PortalOps calls',
    )
    .action(async () => {
      await withRuntime(io, async (runtime) => {
        const results = await signInToTenants(runtime.auth, runtime.signInPlan, {
          onPrompt: (message, tenant) => {
            const environments = tenant.environments.length > 0 ? ` (${tenant.environments.join(', ')})` : '';
            io.out(
              `Tenant ${tenant.tenantId}${environments}: consent for ${tenant.resources.map((r) => r.label).join('; ')}.`,
            );
            io.out(message);
          },
        });
        for (const result of results) {
          io.out(
            `Signed in to tenant ${result.tenantId} as ${result.account.username}: ${result.consented.join('; ')}.`,
          );
          for (const missing of result.missing) {
            io.err(`  Not available: ${missing.label}: ${missing.error.message}`);
            io.exitCode = 1;
          }
          if (result.missing.some((m) => m.error.code === 'consent_required')) {
            // Signing in again cannot help when the tenant lets only administrators consent.
            io.err(
              `  If consent was not offered, ask an administrator of tenant ${result.tenantId} to grant admin consent to the app registration for Power Platform API, PowerApps Service (User) and Dynamics CRM (user_impersonation).`,
            );
          }
        }
        io.out('The tokens are kept in the owner-only credentials folder of the data directory.');
      });
    });

  program
    .command('logout')
    .description('forget the signed-in account and its cached tokens')
    .action(async () => {
      await withRuntime(io, async (runtime) => {
        await runtime.auth.logout();
        io.out('Signed out.');
      });
    });

  program
    .command('environments')
    .description('list the registered environments with their language and Dataverse URL')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await withRuntime(io, async (runtime) => {
        const rows = [];
        for (const entry of runtime.registry.entries) {
          const details = await runtime.environments.resolve(entry.alias);
          rows.push({
            ...entry,
            baseLanguage: details.baseLanguage,
            installedLanguages: details.installedLanguages,
          });
        }
        if (options.json) return io.out(JSON.stringify(rows, null, 2));
        for (const row of rows) {
          io.out(
            `${row.alias.padEnd(6)} ${row.displayName.padEnd(28)} ${row.protected ? 'protected ' : '          '} language ${row.baseLanguage}  ${row.dataverseUrl}`,
          );
        }
      });
    });

  program
    .command('sites')
    .description('list the Power Pages sites of an environment')
    .requiredOption('--env <alias>', 'environment alias, e.g. dev')
    .option('--json', 'print JSON')
    .action(async (options: { env: string; json?: boolean }) => {
      await withRuntime(io, async (runtime) => {
        const entry = runtime.registry.get(options.env);
        const sites = await runtime.powerPages.listWebsites(entry.environmentId);
        if (options.json) return io.out(JSON.stringify(sites, null, 2));
        if (sites.length === 0) return io.out(`No sites in ${entry.alias}.`);
        for (const site of sites) {
          const state = siteStateOf(site);
          const attention = state.attention ? ` (${state.attention})` : '';
          io.out(`${site.name.padEnd(24)} ${state.label}${attention}  ${site.type}  ${site.websiteUrl}`);
          // The raw API values, as support tickets quote them.
          io.out(`${''.padEnd(24)} ${state.details}`);
        }
      });
    });
}
