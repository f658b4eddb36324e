/**
 * Retrying a failed portal package install: from chat and from the command line an InstallFailed
 * site ends Installed; the install is submitted once even when the runner stops mid-way and
 * another resumes; the checks list a language problem before anything is submitted; and where
 * the API cannot retry, the answer is the admin-centre page.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.ts';
import { PortalOpsError } from '../../../src/domain/errors.ts';
import type { Job } from '../../../src/domain/job.ts';
import { siteKeyOf } from '../../../src/domain/job.ts';
import { JobEngine } from '../../../src/jobs/engine.ts';
import { LIFECYCLE_KINDS, type LifecycleDeps } from '../../../src/jobs/kinds/index.ts';
import type { ApplicationPackagesApi } from '../../../src/platform/ports.ts';
import { alice, type ChatHarness, startChatHarness } from '../../support/chat-harness.ts';
import { makeTempDir } from '../../support/temp-dir.ts';
import { waitUntil } from '../../support/wait-until.ts';

const installRequests = (h: ChatHarness) =>
  h.sim.requestLog.filter(
    (r) => r.method === 'POST' && /\/applicationPackages\/[^/]+\/install$/.test(r.path),
  );

describe('retry the package install', () => {
  let h: ChatHarness;

  beforeEach(async () => {
    h = await startChatHarness();
  });
  afterEach(() => h.close());

  const site = (subdomain: string) => [...h.sim.world.sites.values()].find((s) => s.subdomain === subdomain)!;
  const jobOf = () => h.engine.list({ kind: 'retry-package-install' })[0]!;
  /**
   * The card that tells the requester why the job failed: its failure card, or the alert that
   * card became (one card per failure), whichever the conversation shows last.
   */
  const jobFailureCard = (job: Job) =>
    waitUntil(
      () =>
        [...h.surface.posts, ...h.surface.updates]
          .map((p) => p.view)
          .filter(
            (v) =>
              (v.type === 'failure' && v.job?.id === job.id) ||
              (v.type === 'alert' && JSON.stringify(v).includes(job.id)),
          )
          .at(-1),
      5_000,
      'failure card',
    );

  it('from chat turns an InstallFailed site into Installed with one install request', async () => {
    expect(site('contoso-setup').packageInstallStatus).toBe('InstallFailed');
    await h.say(alice, 'retry the package install for contoso-setup in dev');
    const job = await h.finished(jobOf().id);
    expect(job.state).toBe('succeeded');
    expect(site('contoso-setup').packageInstallStatus).toBe('Installed');
    expect(installRequests(h)).toHaveLength(1);
    expect(Object.values(h.sim.applicationPackages.installsAccepted)).toEqual([1]);
    expect(job.result).toMatchObject({ package: expect.stringMatching(/Portal/i) });
  });

  it('offers "Retry the package install" on the alert card, and the click retries it', async () => {
    await h.say(alice, 'subscribe to dev alerts');
    await h.alerts.pollOnce();
    const alert = h.surface.posts.find(
      (p) => p.view.type === 'alert' && JSON.stringify(p.view).includes('contoso-setup'),
    );
    expect(alert?.view.type).toBe('alert');
    const buttons = alert!.view.type === 'alert' ? alert!.view.buttons : [];
    const retry = buttons.find((b) => b.verb === 'site.retry-install');
    expect(retry).toMatchObject({
      label: 'Retry the package install',
      data: { environment: 'dev', site: 'contoso-setup' },
    });
    await h.click(alice, retry!);
    const job = await h.finished(jobOf().id);
    expect(job.state).toBe('succeeded');
    expect(site('contoso-setup').packageInstallStatus).toBe('Installed');
    expect(installRequests(h)).toHaveLength(1);
  });

  it('lists the language problem before submitting anything', async () => {
    site('contoso-setup').selectedBaseLanguage = 1036;
    await h.say(alice, 'retry the package install for contoso-setup in dev');
    const job = await h.finished(jobOf().id);
    expect(job.state).toBe('failed');
    expect(job.lastError?.code).toBe('package_install_preflight_failed');
    const problems = job.lastError?.details?.problems as { field: string; message: string }[];
    expect(problems.map((p) => p.field)).toEqual(['language']);
    expect(problems[0]!.message).toContain('1036');
    expect(problems[0]!.message).toContain('1033');
    expect(installRequests(h)).toHaveLength(0);
    expect(site('contoso-setup').packageInstallStatus).toBe('InstallFailed');
    const failure = JSON.stringify(await jobFailureCard(job));
    expect(failure).toContain('1036');
  });

  it("lists the template's missing prerequisite solutions and a requester who is no System Administrator", async () => {
    const test = h.env('test');
    const broken = site('contoso-test');
    broken.templateName = 'FieldService';
    broken.packageInstallStatus = 'InstallFailed';
    const job = await h.engine.submit({
      kind: 'retry-package-install',
      siteKey: siteKeyOf(test.id, 'contoso-test'),
      requester: { id: 'carol@contoso.com' },
      params: { environment: 'test', site: 'contoso-test', requesterUpn: 'carol@contoso.com' },
    });
    const done = await h.finished(job.id);
    expect(done.lastError?.code).toBe('package_install_preflight_failed');
    const problems = done.lastError?.details?.problems as { field: string; message: string }[];
    expect(problems.map((p) => p.field)).toEqual(['prerequisites', 'requester']);
    expect(problems[0]!.message).toContain('Field Service');
    expect(problems[1]!.message).toContain('carol@contoso.com is not a System Administrator');
    expect(installRequests(h)).toHaveLength(0);
  });

  it('links the admin-centre page when the environment lists no portal package to retry', async () => {
    const dev = h.env('dev');
    h.sim.applicationPackages.hidePortalPackages(dev.id);
    await h.say(alice, 'retry the package install for contoso-setup in dev');
    const job = await h.finished(jobOf().id);
    expect(job.lastError?.code).toBe('package_install_unavailable');
    expect(job.lastError?.message).toContain(
      `https://admin.powerplatform.microsoft.com/environments/environment/${dev.id}/hub`,
    );
    expect(job.lastError?.message).toContain('Resources → Dynamics 365 apps');
    expect(installRequests(h)).toHaveLength(0);
    const text = JSON.stringify(await jobFailureCard(job));
    expect(text).toContain(`environments/environment/${dev.id}/hub`);
    expect(text).toContain('default language set to the site’s language');
    expect(text).toContain('Partner Field Service needs Partner Portal and Field Service');
  });

  it('links the admin-centre page when the API refuses the retry', async () => {
    h.sim.applicationPackages.refuseNextInstall();
    await h.say(alice, 'retry the package install for contoso-setup in dev');
    const job = await h.finished(jobOf().id);
    expect(job.lastError?.code).toBe('package_install_unavailable');
    expect(job.lastError?.message).toContain('Package requested for installation was not found');
    expect(job.lastError?.message).toContain('admin.powerplatform.microsoft.com/environments/environment/');
    expect(site('contoso-setup').packageInstallStatus).toBe('InstallFailed');
  });

  it('fails with package_install_failed when the retried install fails again', async () => {
    h.sim.applicationPackages.failNextInstall({ message: 'A required component is missing.' });
    await h.say(alice, 'retry the package install for contoso-setup in dev');
    const job = await h.finished(jobOf().id);
    expect(job.lastError?.code).toBe('package_install_failed');
    expect(job.lastError?.message).toContain('A required component is missing.');
    expect(site('contoso-setup').packageInstallStatus).toBe('InstallFailed');
  });

  it('refuses a site whose package is not failed', async () => {
    await h.say(alice, 'retry the package install for contoso-dev in dev');
    const job = await h.finished(jobOf().id);
    expect(job.lastError?.code).toBe('site_state_conflict');
    expect(installRequests(h)).toHaveLength(0);
  });
});

describe('retry the package install across a stop and resume', () => {
  let h: ChatHarness;
  beforeEach(async () => {
    h = await startChatHarness();
    await h.engine.stop();
  });
  afterEach(() => h.close());

  /** An engine over the harness store whose package client is `packages`. */
  const engineWith = (packages: ApplicationPackagesApi) =>
    new JobEngine<LifecycleDeps>({
      store: h.store,
      kinds: LIFECYCLE_KINDS,
      deps: { ...h.deps, applicationPackages: packages },
      pollIntervalMs: 10,
      retry: { maxAttempts: 3, baseMs: 5, maxMs: 20 },
    });

  /**
   * The real client, except that `method` does its work (the install reaches the platform) and
   * then gives no answer until `crash` is aborted, as a runner killed at that moment would.
   */
  const stallingAfter = (
    method: 'installPackage' | 'waitForInstall',
    crash: AbortSignal,
  ): ApplicationPackagesApi => {
    const real = h.deps.applicationPackages!;
    return new Proxy(real, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as (...a: unknown[]) => Promise<unknown>;
        if (property !== method) return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: unknown[]) => {
          if (method === 'installPackage') await value.apply(target, args);
          return new Promise((_resolve, reject) =>
            crash.addEventListener('abort', () => reject(new Error('runner stopped'))),
          );
        };
      },
    });
  };

  const submitRetry = (engine: JobEngine<LifecycleDeps>) =>
    engine.submit({
      kind: 'retry-package-install',
      siteKey: siteKeyOf(h.env('dev').id, 'contoso-setup'),
      requester: { id: 'alice@contoso.com' },
      params: { environment: 'dev', site: 'contoso-setup', requesterUpn: 'alice@contoso.com' },
    });

  it('fails with operation_deadline_passed when the install outlives its deadline, and never submits again', async () => {
    const real = h.deps.applicationPackages!;
    // The platform keeps the operation running past the deadline (the client's own time-out answer).
    const slow: ApplicationPackagesApi = {
      listPackages: (environmentId) => real.listPackages(environmentId),
      installPackage: (environmentId, uniqueName) => real.installPackage(environmentId, uniqueName),
      getInstallOperation: (url) => real.getInstallOperation(url),
      waitForInstall: async (_url, options = {}) => {
        await new Promise((resolve) => setTimeout(resolve, options.timeoutMs ?? 0));
        throw new PortalOpsError(
          'request_timeout',
          'The package install did not finish in the time allowed.',
          {
            retryable: true,
          },
        );
      },
    };
    const engine = new JobEngine<LifecycleDeps>({
      store: h.store,
      kinds: LIFECYCLE_KINDS,
      deps: { ...h.deps, applicationPackages: slow, deadlines: { packageInstallMs: 30 } },
      pollIntervalMs: 10,
      retry: { maxAttempts: 2, baseMs: 5, maxMs: 10 },
    });
    engine.start();
    try {
      const job = await submitRetry(engine);
      const done = await waitUntil(
        () => {
          const j = engine.get(job.id);
          return j && ['succeeded', 'failed'].includes(j.state) ? (j as Job) : undefined;
        },
        10_000,
        'job',
      );
      expect(done.lastError?.code).toBe('operation_deadline_passed');
      expect(done.lastError?.message).toContain('the portal package install');
      expect(installRequests(h)).toHaveLength(1);
    } finally {
      await engine.stop();
    }
  });

  for (const stopAt of ['installPackage', 'waitForInstall'] as const) {
    it(`submits the install once when the runner stops inside ${stopAt} and another resumes`, async () => {
      const crash = new AbortController();
      const first = engineWith(stallingAfter(stopAt, crash.signal));
      first.start();
      const job = await submitRetry(first);
      await waitUntil(
        () => Object.values(h.sim.applicationPackages.installsAccepted)[0] === 1,
        5_000,
        'install',
      );
      if (stopAt === 'waitForInstall')
        await waitUntil(() => first.get(job.id)?.context.operationUrl, 5_000, 'operation saved');
      // The engine aborts its runs first; the stalled call gives up only after that.
      const stopping = first.stop();
      await new Promise((resolve) => setTimeout(resolve, 50));
      crash.abort();
      await stopping;
      expect(first.get(job.id)?.state).toBe('running');

      const second = engineWith(h.deps.applicationPackages!);
      second.start();
      try {
        const done = await waitUntil(
          () => {
            const j = second.get(job.id);
            return j && ['succeeded', 'failed'].includes(j.state) ? (j as Job) : undefined;
          },
          10_000,
          'resumed job',
        );
        expect(done.state).toBe('succeeded');
        expect(Object.values(h.sim.applicationPackages.installsAccepted)).toEqual([1]);
        expect(installRequests(h)).toHaveLength(1);
        const site = [...h.sim.world.sites.values()].find((s) => s.subdomain === 'contoso-setup')!;
        expect(site.packageInstallStatus).toBe('Installed');
      } finally {
        await second.stop();
      }
    });
  }
});

describe('portalops retry-package-install', () => {
  const temp = makeTempDir();
  afterAll(() => temp.remove());

  it('retries the failed install of contoso-setup and prints the outcome', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['retry-package-install', '--env', 'dev', '--site', 'contoso-setup'], {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      env: {
        PORTALOPS_LOG_LEVEL: 'silent',
        PORTALOPS_DATA_DIR: temp.dir,
        PORTALOPS_SIMULATOR_PORT: '1',
        PORTALOPS_SIMULATOR_TIME_SCALE: '0.001',
        PORTALOPS_JOB_POLL_INTERVAL_MS: '10',
      },
    });
    expect(err.join('\n')).toContain('Retry the package install of contoso-setup in dev');
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/Retry the package install of contoso-setup in dev: done/);
  });
});
