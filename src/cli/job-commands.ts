import type { Command } from 'commander';
import { PortalOpsError } from '../domain/errors.ts';
import { type Job, siteKeyOf } from '../domain/job.ts';
import { type Audience, defaultAudienceOf } from '../domain/templates.ts';
import type { Runtime } from '../main.ts';
import { listSnapshots } from '../snapshots/site-snapshot.ts';
import { describeOutcome, followJob } from './follow-job.ts';
import { describeJobState } from './job-state-summary.ts';
import type { CliIo } from './main.ts';
import { printSiteStatus } from './site-status.ts';
import { assertSiteConfirmed } from './typed-site-confirmation.ts';
import { withRuntime } from './with-runtime.ts';

async function requesterOf(runtime: Runtime): Promise<{ id: string; displayName?: string }> {
  const account = await runtime.auth.currentAccount();
  if (!account)
    throw new PortalOpsError(
      'sign_in_required',
      'Jobs run as a signed-in person. Run `portalops login` first.',
    );
  return { id: account.username, ...(account.name ? { displayName: account.name } : {}) };
}

/** Submits a job, follows it and prints the outcome; sets the exit code on failure. */
export async function runJob(
  io: CliIo,
  options: { json?: boolean },
  build: (
    runtime: Runtime,
    requester: { id: string; displayName?: string },
  ) => Promise<{ kind: string; params: Record<string, unknown>; siteKey: string }>,
): Promise<void> {
  await withRuntime(io, async (runtime) => {
    const requester = await requesterOf(runtime);
    const request = await build(runtime, requester);
    const job = await runtime.engine.submit({ ...request, requester });
    if (!options.json) io.err(`${job.title} — job ${job.id}`);
    report(io, await followJob(runtime, job, io, options), options);
  });
}

function report(io: CliIo, job: Job, options: { json?: boolean }): void {
  if (options.json) {
    io.out(JSON.stringify(job, null, 2));
  } else {
    const outcome = describeOutcome(job);
    for (const line of outcome.lines) (outcome.ok ? io.out : io.err)(line);
  }
  if (job.state === 'failed') io.exitCode = 1;
}

const int = (value: string) => {
  const n = Number.parseInt(value, 10);
  if (!Number.isFinite(n))
    throw new PortalOpsError(
      'invalid_input',
      `"${value}" is not a number; a language is an LCID such as 1033.`,
    );
  return n;
};

/** `portalops provision | restart-provisioning | change-and-restart | reset | migrate | restore | retry | resume | cancel | status | jobs | snapshots`. */
export function registerJobCommands(program: Command, io: CliIo): void {
  program
    .command('provision')
    .description('provision a new Power Pages site and follow it to the end')
    .requiredOption('--env <alias>', 'environment alias, e.g. dev')
    .requiredOption('--name <name>', 'site name (can change later)')
    .requiredOption('--subdomain <subdomain>', 'letters, digits and hyphens; cannot change later')
    .requiredOption(
      '--template <name>',
      'template name as the Power Pages API takes it, e.g. CustomerSelfServicePortal, PartnerPortal, BlankPage',
    )
    .option(
      '--audience <audience>',
      'partner, customer or employee (default: the one the template is built for)',
    )
    .option('--language <lcid>', 'base language LCID (default: the environment’s)', int)
    .option('--admin <upn>', 'site administrator (default: you)')
    .option('--json', 'print the job as JSON')
    .action(
      async (o: {
        env: string;
        name: string;
        subdomain: string;
        template: string;
        audience?: string;
        language?: number;
        admin?: string;
        json?: boolean;
      }) =>
        runJob(io, o, async (runtime, requester) => {
          const audience = o.audience ?? defaultAudienceOf(o.template);
          if (!['partner', 'customer', 'employee'].includes(audience)) {
            throw new PortalOpsError(
              'invalid_input',
              `Audience "${o.audience}" is not one of partner, customer, employee.`,
            );
          }
          const env = runtime.registry.get(o.env);
          return {
            kind: 'provision',
            siteKey: siteKeyOf(env.environmentId, o.subdomain),
            params: {
              environment: env.alias,
              name: o.name,
              subdomain: o.subdomain,
              templateId: o.template,
              audience: audience as Audience,
              ...(o.language ? { languageLcid: o.language } : {}),
              siteAdministrator: o.admin ?? requester.id,
              requesterUpn: requester.id,
            },
          };
        }),
    );

  for (const [name, description] of [
    ['restart-provisioning', 'provision a failed site again with the same values'],
    ['change-and-restart', 'provision a failed site again with new values'],
  ] as const) {
    program
      .command(name)
      .description(description)
      .requiredOption('--env <alias>', 'environment alias')
      .requiredOption('--site <site>', 'site subdomain, name or id')
      .option('--name <name>', 'new name (change-and-restart)')
      .option('--subdomain <subdomain>', 'new subdomain (change-and-restart)')
      .option('--template <name>', 'new template name, as the API takes it (change-and-restart)')
      .option('--language <lcid>', 'new base language (change-and-restart)', int)
      .option('--json', 'print the job as JSON')
      .action(
        async (o: {
          env: string;
          site: string;
          name?: string;
          subdomain?: string;
          template?: string;
          language?: number;
          json?: boolean;
        }) =>
          runJob(io, o, async (runtime, requester) => {
            const env = runtime.registry.get(o.env);
            const changes = {
              ...(o.name ? { name: o.name } : {}),
              ...(o.subdomain ? { subdomain: o.subdomain } : {}),
              ...(o.template ? { templateId: o.template } : {}),
              ...(o.language ? { languageLcid: o.language } : {}),
            };
            return {
              kind: name,
              siteKey: siteKeyOf(env.environmentId, o.site),
              params: {
                environment: env.alias,
                site: o.site,
                requesterUpn: requester.id,
                ...(name === 'change-and-restart' ? { changes } : {}),
              },
            };
          }),
      );
  }

  program
    .command('reset')
    .description('snapshot a site’s configuration and delete its hosted site (optionally provision it again)')
    .requiredOption('--env <alias>', 'environment alias')
    .requiredOption('--site <site>', 'site subdomain')
    .requiredOption('--confirm <site>', 'type the site subdomain again to confirm the reset')
    .option('--reprovision', 'provision the site again on the same website record')
    .option('--json', 'print the job as JSON')
    .action(
      async (o: { env: string; site: string; confirm: string; reprovision?: boolean; json?: boolean }) =>
        runJob(io, o, async (runtime, requester) => {
          assertSiteConfirmed(o, 'Nothing was reset.');
          const env = runtime.registry.get(o.env);
          return {
            kind: 'reset',
            siteKey: siteKeyOf(env.environmentId, o.site),
            params: {
              environment: env.alias,
              site: o.site,
              requesterUpn: requester.id,
              reprovision: o.reprovision === true,
            },
          };
        }),
    );

  program
    .command('migrate')
    .description('copy a site’s configuration from one environment to another (only what differs)')
    .requiredOption('--from <alias>', 'source environment alias')
    .requiredOption('--to <alias>', 'target environment alias')
    .requiredOption('--site <site>', 'site subdomain in the source environment')
    .option('--dry-run', 'plan only: report what would be created, changed and removed')
    .option('--batch-size <n>', 'operations per $batch change set', '100')
    .option('--json', 'print the job as JSON')
    .action(
      async (o: {
        from: string;
        to: string;
        site: string;
        dryRun?: boolean;
        batchSize: string;
        json?: boolean;
      }) =>
        runJob(io, o, async (runtime) => {
          const source = runtime.registry.get(o.from);
          const target = runtime.registry.get(o.to);
          if (source.environmentId === target.environmentId)
            throw new PortalOpsError('invalid_input', 'The source and the target are the same environment.');
          const batchSize = Number(o.batchSize);
          if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000)
            throw new PortalOpsError(
              'invalid_input',
              `--batch-size "${o.batchSize}": use a whole number from 1 to 1000.`,
            );
          return {
            kind: 'migrate',
            siteKey: siteKeyOf(target.environmentId, o.site),
            params: {
              source: source.alias,
              target: target.alias,
              site: o.site,
              dryRun: o.dryRun === true,
              batchSize,
            },
          };
        }),
    );

  program
    .command('restore')
    .description('put a site’s configuration back to a snapshot (the current state is snapshotted first)')
    .requiredOption('--snapshot <id>', 'snapshot id (see portalops snapshots)')
    .requiredOption('--confirm <site>', 'type the site subdomain of the snapshot to confirm')
    .option('--json', 'print the job as JSON')
    .action(async (o: { snapshot: string; confirm: string; json?: boolean }) =>
      runJob(io, o, async (runtime) => {
        const snapshot = runtime.store.collection('snapshots').get(o.snapshot);
        if (!snapshot)
          throw new PortalOpsError(
            'not_found',
            `There is no snapshot ${o.snapshot}. List them with "portalops snapshots".`,
          );
        if (o.confirm.trim().toLowerCase() !== snapshot.site.toLowerCase())
          throw new PortalOpsError(
            'invalid_input',
            `The confirmation "${o.confirm}" does not match the snapshot's site "${snapshot.site}". Nothing was restored.`,
          );
        return {
          kind: 'restore',
          siteKey: siteKeyOf(snapshot.environmentId, snapshot.site),
          params: { snapshot: snapshot.id },
        };
      }),
    );

  for (const [name, description, act] of [
    ['retry <jobId>', 'retry a failed job from the step that failed, or resume an interrupted one', 'retry'],
    [
      'resume <jobId>',
      'resume a job whose process stopped (killed, closed terminal), from the step it was at',
      'resume',
    ],
  ] as const) {
    program
      .command(name)
      .description(description)
      .option('--json', 'print the job as JSON')
      .action(async (jobId: string, o: { json?: boolean }) =>
        withRuntime(io, async (runtime) => {
          const requester = await requesterOf(runtime);
          const before = runtime.engine.get(jobId);
          const job = await runtime.engine[act](jobId, requester.id);
          if (!o.json && before?.state === 'running')
            io.err(`Resuming ${job.id} (${job.title}) from the step it was at.`);
          report(io, await followJob(runtime, job, io, o), o);
        }),
      );
  }

  program
    .command('cancel <jobId>')
    .description(
      'stop a job that has not finished: at once when queued or interrupted, else after its current step',
    )
    .option('--json', 'print the job as JSON')
    .action(async (jobId: string, o: { json?: boolean }) =>
      withRuntime(io, async (runtime) => {
        const requester = await requesterOf(runtime);
        const job = await runtime.engine.cancel(jobId, requester.id);
        if (o.json) return io.out(JSON.stringify(job, null, 2));
        if (job.state === 'cancelled') {
          io.out(`Cancelled ${job.id}.`);
          for (const line of describeJobState(job).slice(1)) io.out(line);
        } else
          io.out(
            `${job.id} is running in another PortalOps process; it stops there after its current step (portalops status ${job.id}).`,
          );
      }),
    );

  program
    .command('status <jobOrSite>')
    .description('where a job is (by id), or a site (by subdomain, name or id)')
    .option('--env <alias>', 'environment of the site (default: every environment)')
    .option('--json', 'print JSON')
    .action(async (target: string, o: { env?: string; json?: boolean }) =>
      withRuntime(io, async (runtime) => {
        const job = runtime.engine.get(target);
        if (job) {
          if (o.json) return io.out(JSON.stringify(job, null, 2));
          for (const line of describeJobState(job, { interrupted: runtime.engine.isInterrupted(job) }))
            io.out(line);
          return;
        }
        if (/^J-[A-Z0-9]+$/i.test(target.trim()))
          throw new PortalOpsError(
            'job_not_found',
            `There is no job ${target}. List recent ones with "portalops jobs".`,
          );
        await printSiteStatus(runtime, io, target, o);
      }),
    );

  program
    .command('jobs')
    .description('list recent jobs')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) =>
      withRuntime(io, async (runtime) => {
        const jobs = runtime.engine.list().slice(0, 50);
        if (o.json) return io.out(JSON.stringify(jobs, null, 2));
        if (jobs.length === 0) return io.out('No jobs yet.');
        for (const job of jobs) {
          const error = job.lastError ? `  ${job.lastError.code}` : '';
          const state = runtime.engine.isInterrupted(job) ? 'interrupted' : job.state;
          io.out(
            `${job.id}  ${state.padEnd(17)} ${job.createdAt.slice(0, 16).replace('T', ' ')}  ${job.title}${error}`,
          );
        }
      }),
    );

  program
    .command('snapshots')
    .description('list configuration snapshots taken before resets')
    .option('--site <site>', 'only this site')
    .option('--json', 'print JSON')
    .action(async (o: { site?: string; json?: boolean }) =>
      withRuntime(io, async (runtime) => {
        const snapshots = listSnapshots(runtime.store, o.site);
        if (o.json) return io.out(JSON.stringify(snapshots, null, 2));
        if (snapshots.length === 0) return io.out('No snapshots yet.');
        for (const s of snapshots) {
          const rows = Object.values(s.tables).reduce((a, b) => a + b, 0);
          io.out(
            `${s.id}  ${s.createdAt.slice(0, 16).replace('T', ' ')}  ${s.environment}/${s.site}  ${rows} rows  ${s.path}`,
          );
        }
      }),
    );
}
