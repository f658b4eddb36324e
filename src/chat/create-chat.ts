/**
 * Wires the chat core onto a runtime: policy, approvals, the core, the job notifier and the
 * periodic approval sweep (reminders, expiry).
 */
import path from 'node:path';
import { AlertCenter } from '../alerts/alert-center.ts';
import { AlertSubscriptions } from '../alerts/subscriptions.ts';
import type { Runtime } from '../main.ts';
import { Approvals } from '../policy/approvals.ts';
import { LOCAL_POLICY, Policy, policySchema } from '../policy/policy.ts';
import { readPolicyFile } from '../policy/policy-file.ts';
import { ChatCore } from './core/chat-core.ts';
import { JobNotifier } from './core/job-notifier.ts';

/** The chat parts of a running PortalOps. */
export interface Chat {
  core: ChatCore;
  notifier: JobNotifier;
  policy: Policy;
  approvals: Approvals;
  alerts: AlertCenter;
  subscriptions: AlertSubscriptions;
  stop(): Promise<void>;
}

/** Builds and starts the chat core; `stop()` ends the sweep and flushes pending card edits. */
export function createChat(
  runtime: Runtime,
  options: { sweepIntervalMs?: number /** Poll sites and post alerts. */; watchSites?: boolean } = {},
): Chat {
  const data = runtime.config.policyFile
    ? readPolicyFile(runtime.config.policyFile)
    : runtime.simulator || runtime.config.simulator.mode === 'embedded'
      ? LOCAL_POLICY
      : policySchema.parse({ roles: { '*': { viewer: ['*'] } } });
  const policy = new Policy(data);
  const approvals = new Approvals(runtime.store, policy);
  const subscriptions = new AlertSubscriptions(runtime.store);
  const core = new ChatCore({
    store: runtime.store,
    logger: runtime.logger,
    deps: {
      engine: runtime.engine,
      approvals,
      policy,
      registry: runtime.registry,
      environments: runtime.environments,
      powerPages: runtime.powerPages,
      now: Date.now,
      subscriptions,
      store: runtime.store,
      dataverse: runtime.dataverse,
      snapshotsDir: path.join(runtime.config.dataDir, 'snapshots'),
    },
  });
  const alerts = new AlertCenter({
    store: runtime.store,
    registry: runtime.registry,
    powerPages: runtime.powerPages,
    engine: runtime.engine,
    subscriptions,
    surface: (name) => core.surface(name),
    conversation: (surface, id) => core.conversationRef(surface, id),
    intervalMs: runtime.config.alerts.intervalMs,
    busyIntervalMs: runtime.config.alerts.busyIntervalMs,
    warnDays: runtime.config.alerts.warnDays,
    logger: runtime.logger,
  });
  core.attachAlerts(alerts);
  const notifier = new JobNotifier({
    engine: runtime.engine,
    surface: (name) => core.surface(name),
    conversation: (surface, id) => core.conversationRef(surface, id),
    logger: runtime.logger,
  });
  notifier.start();
  if (options.watchSites) alerts.start();
  const sweep = setInterval(() => {
    core
      .sweepApprovals()
      .catch((error: unknown) => runtime.logger.warn({ err: error }, 'approval sweep failed'));
  }, options.sweepIntervalMs ?? 60_000);
  sweep.unref();
  return {
    core,
    notifier,
    policy,
    approvals,
    alerts,
    subscriptions,
    stop: async () => {
      clearInterval(sweep);
      await alerts.stop();
      await notifier.stop();
    },
  };
}
