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
import type { ChatSurface } from './core/surface.ts';

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
  options: {
    sweepIntervalMs?: number;
    /** Poll sites and post alerts. */
    watchSites?: boolean;
    /**
     * Where job progress and alerts are sent (by default the core's surfaces); with several
     * replicas, a relay that reaches the replica that has the conversation's surface.
     */
    cardSurfaces?: (
      local: (name: string) => ChatSurface | undefined,
    ) => (name: string) => ChatSurface | undefined;
    /** Which environments this process polls for alerts (one watcher per environment across replicas). */
    watches?: (environmentId: string) => boolean;
  } = {},
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
  const cardSurface = options.cardSurfaces?.((name) => core.surface(name)) ?? ((name) => core.surface(name));
  const alerts = new AlertCenter({
    store: runtime.store,
    registry: runtime.registry,
    powerPages: runtime.powerPages,
    engine: runtime.engine,
    subscriptions,
    surface: cardSurface,
    conversation: (surface, id) => core.conversationRef(surface, id),
    intervalMs: runtime.config.alerts.intervalMs,
    busyIntervalMs: runtime.config.alerts.busyIntervalMs,
    warnDays: runtime.config.alerts.warnDays,
    ...(options.watches ? { watches: options.watches } : {}),
    logger: runtime.logger,
  });
  core.attachAlerts(alerts);
  const notifier = new JobNotifier({
    engine: runtime.engine,
    surface: cardSurface,
    conversation: (surface, id) => core.conversationRef(surface, id),
    handedOver: (message) => alerts.showsCard(message),
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
