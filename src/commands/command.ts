/**
 * The shape of a command: a declarative spec (what it does, who may run it, whether it needs
 * a typed confirmation and an approval) and `run()`, which creates jobs or answers with views.
 */
import type { AlertCenter } from '../alerts/alert-center.ts';
import type { AlertSubscriptions } from '../alerts/subscriptions.ts';
import type { EnvironmentRegistry } from '../config/environment-registry.ts';
import type { JobRequester } from '../domain/job.ts';
import type { Intent, IntentKind } from '../intents/intent.ts';
import type { JobEngine } from '../jobs/engine.ts';
import type { LifecycleDeps } from '../jobs/kinds/index.ts';
import type { DataverseFactory, Environments, PowerPagesApi } from '../platform/ports.ts';
import type { Approvals } from '../policy/approvals.ts';
import type { Identity, Permission, Policy } from '../policy/policy.ts';
import type { Store } from '../storage/store.ts';
import type { View } from '../views/view.ts';
import type { CardAction } from './card-action.ts';

/** What commands work with. */
export interface CommandDeps {
  engine: JobEngine<LifecycleDeps>;
  approvals: Approvals;
  policy: Policy;
  registry: EnvironmentRegistry;
  environments: Environments;
  powerPages: PowerPagesApi;
  now: () => number;
  /** Alert subscriptions, where alerts are set up. */
  subscriptions?: AlertSubscriptions;
  /** The alert center, where alerts are watched (open alerts, the cards of alerts). */
  alerts?: AlertCenter;
  /** Dataverse clients (configuration migrations read both environments to plan). */
  dataverse?: DataverseFactory;
  /** The store (configuration snapshots to restore). */
  store?: Store;
  /** Where snapshots are kept (a snapshot is read from its id there, never from a stored path). */
  snapshotsDir?: string;
}

/** Who runs the command, and with what. */
export interface CommandContext {
  user: Identity;
  deps: CommandDeps;
  /** The chat conversation the request came from (none on the command line). */
  conversation?: { surface: string; conversationId: string };
}

/** One answer to post; `track` links the posted message to a job or approval so it can be updated. */
export interface Reply {
  view: View;
  trackJob?: string;
  trackApproval?: { id: string; role: 'confirmation' | 'approval' };
  /** The posted message is a card of this alert, kept current with it. */
  trackAlert?: string;
  /** The posted message shows this site's state: it is shown again when a job on the site starts or ends. */
  trackSite?: { environment: string; site: string };
}

/** A command. */
export interface CommandSpec<K extends IntentKind = IntentKind> {
  kind: K;
  title: string;
  summary: string;
  examples: string[];
  /** What the caller needs in the environment concerned. */
  permission: Permission;
  /** What it changes, in words (shown in help and plans). */
  sideEffects: string;
  destructive: boolean;
  /** Destructive commands make the requester type the site name. */
  confirmation: 'none' | 'type-site-name';
  /** When an approver other than the requester must approve. */
  approval: 'never' | 'always' | 'protected-target';
  /** The environment the intent concerns (for the permission check), if any. */
  environmentOf(intent: Extract<Intent, { kind: K }>): string | undefined;
  /** What would happen, as data (lines people read), without changing anything. */
  plan?(ctx: CommandContext, intent: Extract<Intent, { kind: K }>): Promise<string[]>;
  run(ctx: CommandContext, intent: Extract<Intent, { kind: K }>): Promise<Reply[]>;
  /** The card buttons this command owns (registered with the chat core with the command). */
  actions?: readonly CardAction[];
}

/** The requester of a job started by `user` (sign-in name preferred, for role checks). */
export function requesterOf(user: Identity): JobRequester {
  return { id: user.email ?? user.id, ...(user.displayName ? { displayName: user.displayName } : {}) };
}

/** A one-message reply. */
export function say(
  text: string,
  options: { title?: string; tone?: 'info' | 'warning' | 'error'; suggestions?: string[] } = {},
): Reply[] {
  return [{ view: { type: 'message', text, ...options } }];
}

/** What a spec may leave out: a read-only command by default. */
type SpecDefaults = 'sideEffects' | 'destructive' | 'confirmation' | 'approval' | 'environmentOf';

/**
 * Declares a command; fields left out default to a read-only command that anyone with the
 * permission may run without confirmation or approval.
 */
export function defineCommand<K extends IntentKind>(
  spec: Omit<CommandSpec<K>, SpecDefaults> & Partial<Pick<CommandSpec<K>, SpecDefaults>>,
): CommandSpec<K> {
  return {
    sideEffects: 'none',
    destructive: false,
    confirmation: 'none',
    approval: 'never',
    environmentOf: () => undefined,
    ...spec,
  };
}
