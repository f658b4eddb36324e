import { AlertCenter } from '../../src/alerts/alert-center.ts';
import { AlertSubscriptions } from '../../src/alerts/subscriptions.ts';
import { ChatCore } from '../../src/chat/core/chat-core.ts';
import { JobNotifier } from '../../src/chat/core/job-notifier.ts';
import type { InboundAction } from '../../src/chat/core/surface.ts';
import { EnvironmentRegistry } from '../../src/config/environment-registry.ts';
import { Approvals } from '../../src/policy/approvals.ts';
import { type Identity, LOCAL_POLICY, Policy, type PolicyData } from '../../src/policy/policy.ts';
import type { StoreDisk } from '../../src/storage/append-only-file.ts';
import type { Button } from '../../src/views/view.ts';
import { FakeSurface } from './fake-surface.ts';
import { startLifecycleHarness } from './lifecycle-harness.ts';

export const alice: Identity = { id: 'u-alice', email: 'alice@contoso.com', displayName: 'Alice Admin' };
export const bob: Identity = { id: 'u-bob', email: 'bob@contoso.com', displayName: 'Bob Approver' };
export const carol: Identity = { id: 'u-carol', email: 'carol@contoso.com', displayName: 'Carol Customizer' };
export const dave: Identity = { id: 'u-dave', email: 'dave@contoso.com', displayName: 'Dave Viewer' };

/**
 * The chat core over the simulator, with a fake surface and a clock tests can move; `policy`
 * replaces the local policy (who may do what); `disk` is passed to the store.
 */
export async function startChatHarness(
  options: { minIntervalMs?: number; policy?: PolicyData; disk?: StoreDisk } = {},
) {
  const lifecycle = await startLifecycleHarness(options.disk ? { disk: options.disk } : {});
  let offsetMs = 0;
  const now = () => Date.now() + offsetMs;
  const policy = new Policy(options.policy ?? LOCAL_POLICY);
  const approvals = new Approvals(lifecycle.store, policy, now);
  const registry = new EnvironmentRegistry(lifecycle.sim.environmentsRegistry());
  const subscriptions = new AlertSubscriptions(lifecycle.store);
  const core = new ChatCore({
    store: lifecycle.store,
    deps: {
      engine: lifecycle.engine,
      approvals,
      policy,
      registry,
      environments: lifecycle.deps.environments,
      powerPages: lifecycle.deps.powerPages,
      now,
      subscriptions,
      store: lifecycle.store,
      dataverse: lifecycle.deps.dataverse,
      snapshotsDir: lifecycle.deps.snapshotsDir,
    },
  });
  /** An alert center over this harness (not started: tests call `pollOnce`). */
  const alertCenter = () =>
    new AlertCenter({
      store: lifecycle.store,
      registry,
      powerPages: lifecycle.deps.powerPages,
      engine: lifecycle.engine,
      subscriptions,
      surface: (name) => core.surface(name),
      conversation: (s, c) => core.conversationRef(s, c),
      intervalMs: 60_000,
      busyIntervalMs: 60_000,
      warnDays: 7,
      minUpdateIntervalMs: 20,
    });
  const alerts = alertCenter();
  alerts.listen();
  core.attachAlerts(alerts);
  const surface = new FakeSurface();
  core.register(surface);
  const notifier = new JobNotifier({
    engine: lifecycle.engine,
    surface: (name) => core.surface(name),
    conversation: (s, c) => core.conversationRef(s, c),
    handedOver: (message) => alerts.showsCard(message),
    minIntervalMs: options.minIntervalMs ?? 20,
  });
  notifier.start();
  let eventCounter = 0;
  const conversation = { surface: 'fake', conversationId: 'channel-1' };
  return {
    ...lifecycle,
    core,
    surface,
    approvals,
    registry,
    subscriptions,
    alerts,
    alertCenter,
    notifier,
    /** Moves the clock approvals use. */
    advance: (ms: number) => {
      offsetMs += ms;
    },
    say: (user: Identity, text: string, eventId = `e-${++eventCounter}`) =>
      core.handleMessage({ eventId, conversation, user, text }),
    click: (
      user: Identity,
      button: Button,
      inputs: Record<string, string> = {},
      eventId = `a-${++eventCounter}`,
      messageId?: string,
    ) => {
      const action: InboundAction = {
        eventId,
        conversation,
        user,
        verb: button.verb,
        data: button.data,
        inputs,
        ...(messageId ? { messageId } : {}),
      };
      return core.handleAction(action);
    },
    close: async () => {
      await alerts.stop();
      await notifier.stop();
      await lifecycle.close();
    },
  };
}

export type ChatHarness = Awaited<ReturnType<typeof startChatHarness>>;
