/**
 * What a person asked for, as data: the output of the parser and the input of the commands.
 * Values the person did not give stay undefined; the command asks for them.
 */
import type { AlertCondition } from '../alerts/alert.ts';
import type { EnvironmentName } from '../domain/environment-names.ts';
import type { Audience } from '../domain/templates.ts';

/** Values of a provisioning that can be given or changed. */
export interface SiteValues {
  name?: string;
  subdomain?: string;
  templateId?: string;
  audience?: Audience;
  languageLcid?: number;
  siteAdministrator?: string;
}

/**
 * On a request that needs an environment: the word given as one that names no registered
 * environment ("in sandbox"), so the question for the environment can say so.
 */
export interface EnvironmentNotKnown {
  unknownEnvironment?: string;
}

/** A parsed request. */
export type Intent =
  | ({ kind: 'provision'; environment?: string } & SiteValues)
  | ({ kind: 'reset'; environment?: string; site?: string; reprovision: boolean } & EnvironmentNotKnown)
  | ({ kind: 'restart-provisioning'; environment?: string; site?: string } & EnvironmentNotKnown)
  /** The platform's restart of a running site (not a provisioning restart). */
  | ({ kind: 'restart-site'; environment?: string; site?: string } & EnvironmentNotKnown)
  | ({ kind: 'retry-package-install'; environment?: string; site?: string } & EnvironmentNotKnown)
  | ({
      kind: 'change-and-restart';
      environment?: string;
      site?: string;
      changes: SiteValues;
    } & EnvironmentNotKnown)
  | ({
      kind: 'migrate';
      source?: string;
      target?: string;
      site?: string;
      dryRun: boolean;
    } & EnvironmentNotKnown)
  /** Moving one site onto the enhanced data model (not a site-to-site migration). */
  | ({ kind: 'move-data-model'; environment?: string; site?: string } & EnvironmentNotKnown)
  | { kind: 'status'; environment?: string; site?: string; jobId?: string }
  | ({ kind: 'sites'; environment?: string } & EnvironmentNotKnown)
  | { kind: 'jobs'; mine: boolean }
  | { kind: 'cancel'; jobId?: string }
  | { kind: 'retry'; jobId?: string }
  | { kind: 'approve'; approvalId?: string }
  | { kind: 'reject'; approvalId?: string; reason?: string }
  | { kind: 'help'; topic?: IntentKind }
  | { kind: 'templates'; templateId?: string }
  | { kind: 'troubleshoot'; query: string }
  | { kind: 'who-can-approve'; environment?: string; site?: string }
  | { kind: 'why-cant-i'; command?: IntentKind; environment?: string }
  | ({ kind: 'subscribe'; environment?: string; conditions: AlertCondition[] } & EnvironmentNotKnown)
  | { kind: 'unsubscribe'; environment?: string }
  | { kind: 'alerts' }
  | ({ kind: 'restore'; environment?: string; site?: string; snapshot?: string } & EnvironmentNotKnown);

/** The kinds of intent (one per command). */
export type IntentKind = Intent['kind'];

/** Text that is not a request the bot understands. */
export interface ParseFailure {
  kind: 'unknown';
  /** What to tell the person. */
  message: string;
  /** Commands (or names) they probably meant. */
  suggestions: string[];
  /** The word given as an environment that names no registered one ("preprod"), when that is what failed. */
  unknownEnvironment?: string;
}

/**
 * What the parser needs to know about the world: the registered environments, as aliases or
 * with their display names (so "Contoso Production" and "production" resolve like "prod").
 */
export interface ParseContext {
  environments: readonly (string | EnvironmentName)[];
}

/** Every command kind, in the order help lists them. */
export const INTENT_KINDS: readonly IntentKind[] = [
  'provision',
  'reset',
  'restart-site',
  'restart-provisioning',
  'change-and-restart',
  'retry-package-install',
  'migrate',
  'move-data-model',
  'restore',
  'status',
  'sites',
  'jobs',
  'cancel',
  'retry',
  'approve',
  'reject',
  'templates',
  'troubleshoot',
  'who-can-approve',
  'why-cant-i',
  'subscribe',
  'unsubscribe',
  'alerts',
  'help',
];
