import path from 'node:path';
import { PortalOpsError } from '../domain/errors.ts';
import { type EnvVars, envSchema } from './config-schema.ts';

/** Typed, frozen configuration. Built once at start-up; nothing else reads `process.env`. */
export interface Config {
  dataDir: string;
  /**
   * The PostgreSQL database several replicas share (PORTALOPS_DATABASE_URL); without it the
   * embedded lowdb store in `dataDir` is used, which one process at a time holds.
   */
  database?: { url: string };
  /** Path of the environments registry; undefined when the embedded simulator supplies it. */
  environmentsFile?: string;
  logLevel: EnvVars['PORTALOPS_LOG_LEVEL'];
  simulator: {
    mode: 'embedded' | 'off';
    host: string;
    port: number;
    scenarioFile?: string;
    timeScale: number;
  };
  urls: {
    powerPlatformApi: string;
    bapApi: string;
    authorityHost: string;
  };
  auth: {
    mode: 'client_credentials' | 'device_code';
    tenantId?: string;
    clientId?: string;
    clientSecret?: string;
  };
  http: {
    timeoutMs: number;
    maxRetries: number;
    maxBackoffMs: number;
  };
  /** Slack app credentials; the Slack surface runs when both the bot token and signing secret are set. */
  slack?: { botToken: string; signingSecret: string; appToken?: string; port: number; host: string };
  /**
   * The Teams endpoint (`POST /api/messages`). With `clientId` set every request's token is
   * validated; without it the bot runs in local mode for the Agents Playground, on loopback only.
   */
  teams: {
    port: number;
    host: string;
    clientId?: string;
    clientSecret?: string;
    tenantId?: string;
    authType?: NonNullable<EnvVars['TEAMS_AUTH_TYPE']>;
    /** The Teams app's id in its manifest (defaults to the bot's client id). */
    appId?: string;
    /** Public https address of the bot (manifest links and valid domains). */
    publicUrl?: string;
    /** Publisher name shown in the Teams app store entry. */
    publisher: string;
    /** Start the Agents Playground with the bot in local mode. */
    playground: { enabled: boolean; port: number };
  };
  /** Roles and approval rules file; without it the simulator's demo policy applies locally. */
  policyFile?: string;
  alerts: {
    /** Between polls of each environment's site list. */
    intervalMs: number;
    /** Between polls while PortalOps jobs are running. */
    busyIntervalMs: number;
    /** Trials ending (and suspended sites being deleted) within this many days alert. */
    warnDays: number;
  };
  jobs: {
    /** Between polls of a platform operation or a site's status. */
    pollIntervalMs: number;
    /** Jobs run at once (on different sites). */
    concurrency: number;
    /** How long a job's lease lasts unless its replica renews it (renewed every third of it). */
    leaseMs: number;
    /** How long a job waits for each platform phase before it stops with `operation_deadline_passed`. */
    deadlines: { provisioningMs: number; packageInstallMs: number; deletionMs: number };
  };
  /** Shutting down: the longest a drain (SIGTERM) may take before the process exits anyway. */
  shutdown: { drainTimeoutMs: number };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Variables holding secrets (tokens, secrets, passwords, keys, connection strings): a message
 * about them names the variable and the shape it wants, never the value.
 */
const SECRET_NAME = /SECRET|TOKEN|PASSWORD|PASSWD|KEY|CREDENTIAL|CONNECTION/i;

/**
 * How a wrong value appears in a configuration error: quoted and shortened for ordinary settings
 * (so a typo is easy to spot), not at all for secrets or for values carrying a password
 * (`https://user:pass@host`).
 */
function shownValue(name: string, given: string | undefined): string {
  if (given === undefined || SECRET_NAME.test(name) || /\/\/[^/\s]*@/.test(given)) return '';
  return `="${given.length > 60 ? `${given.slice(0, 60)}…` : given}"`;
}

/**
 * Validates `env` into a frozen {@link Config}. A wrong value throws `config_invalid` whose
 * message names each variable and how to fix it.
 * @example loadConfig({ PORTALOPS_DATA_DIR: '/var/lib/portalops' })
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      return `${name}${shownValue(name, cleaned[name])}: ${issue.message}`;
    });
    throw new PortalOpsError('config_invalid', `Configuration is invalid. ${problems.join('; ')}.`, {
      details: { problems },
    });
  }
  const e = parsed.data;
  if (e.PORTALOPS_AUTH_MODE === 'client_credentials' && e.PORTALOPS_SIMULATOR === 'off') {
    const missing = (['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET'] as const).filter(
      (k) => !e[k],
    );
    if (missing.length > 0) {
      throw new PortalOpsError(
        'config_invalid',
        `Configuration is invalid. ${missing.join(', ')} must be set when PORTALOPS_AUTH_MODE=client_credentials.`,
        { details: { problems: missing.map((m) => `${m}: required for client credentials`) } },
      );
    }
  }
  if (e.PORTALOPS_SIMULATOR === 'off' && !e.PORTALOPS_ENVIRONMENTS_FILE) {
    throw new PortalOpsError(
      'config_invalid',
      'Configuration is invalid. PORTALOPS_ENVIRONMENTS_FILE: set it to your environments registry (see config/environments.example.yml) when PORTALOPS_SIMULATOR=off.',
    );
  }
  const loopback = ['127.0.0.1', '::1', 'localhost'].includes(e.TEAMS_HOST);
  if (!e.TEAMS_CLIENT_ID && !loopback) {
    throw new PortalOpsError(
      'config_invalid',
      `Configuration is invalid. TEAMS_HOST="${e.TEAMS_HOST}": without TEAMS_CLIENT_ID the Teams endpoint accepts unauthenticated requests, so it only listens on loopback. Set TEAMS_CLIENT_ID (and its secret or managed identity) or TEAMS_HOST=127.0.0.1.`,
    );
  }
  if (e.TEAMS_CLIENT_ID && !e.TEAMS_TENANT_ID) {
    throw new PortalOpsError(
      'config_invalid',
      'Configuration is invalid. TEAMS_TENANT_ID: set it to the bot app registration\'s tenant (or "common" for a multi-tenant bot) when TEAMS_CLIENT_ID is set.',
    );
  }
  const config: Config = {
    dataDir: path.resolve(e.PORTALOPS_DATA_DIR),
    ...(e.PORTALOPS_DATABASE_URL ? { database: { url: e.PORTALOPS_DATABASE_URL } } : {}),
    ...(e.PORTALOPS_ENVIRONMENTS_FILE
      ? { environmentsFile: path.resolve(e.PORTALOPS_ENVIRONMENTS_FILE) }
      : {}),
    logLevel: e.PORTALOPS_LOG_LEVEL,
    simulator: {
      mode: e.PORTALOPS_SIMULATOR,
      host: e.PORTALOPS_SIMULATOR_HOST,
      port: e.PORTALOPS_SIMULATOR_PORT,
      ...(e.PORTALOPS_SIMULATOR_SCENARIO
        ? { scenarioFile: path.resolve(e.PORTALOPS_SIMULATOR_SCENARIO) }
        : {}),
      timeScale: e.PORTALOPS_SIMULATOR_TIME_SCALE,
    },
    urls: {
      powerPlatformApi: e.POWER_PLATFORM_API_URL,
      bapApi: e.BAP_API_URL,
      authorityHost: e.AZURE_AUTHORITY_HOST,
    },
    auth: {
      mode: e.PORTALOPS_AUTH_MODE,
      ...(e.AZURE_TENANT_ID ? { tenantId: e.AZURE_TENANT_ID } : {}),
      ...(e.AZURE_CLIENT_ID ? { clientId: e.AZURE_CLIENT_ID } : {}),
      ...(e.AZURE_CLIENT_SECRET ? { clientSecret: e.AZURE_CLIENT_SECRET } : {}),
    },
    http: {
      timeoutMs: e.PORTALOPS_HTTP_TIMEOUT_MS,
      maxRetries: e.PORTALOPS_HTTP_MAX_RETRIES,
      maxBackoffMs: e.PORTALOPS_HTTP_MAX_BACKOFF_MS,
    },
    ...(e.PORTALOPS_POLICY_FILE ? { policyFile: e.PORTALOPS_POLICY_FILE } : {}),
    ...(e.SLACK_BOT_TOKEN && e.SLACK_SIGNING_SECRET
      ? {
          slack: {
            botToken: e.SLACK_BOT_TOKEN,
            signingSecret: e.SLACK_SIGNING_SECRET,
            ...(e.SLACK_APP_TOKEN ? { appToken: e.SLACK_APP_TOKEN } : {}),
            port: e.SLACK_PORT,
            host: e.SLACK_HOST,
          },
        }
      : {}),
    teams: {
      port: e.TEAMS_PORT,
      host: e.TEAMS_HOST,
      ...(e.TEAMS_CLIENT_ID ? { clientId: e.TEAMS_CLIENT_ID } : {}),
      ...(e.TEAMS_CLIENT_SECRET ? { clientSecret: e.TEAMS_CLIENT_SECRET } : {}),
      ...(e.TEAMS_TENANT_ID ? { tenantId: e.TEAMS_TENANT_ID } : {}),
      ...(e.TEAMS_AUTH_TYPE ? { authType: e.TEAMS_AUTH_TYPE } : {}),
      ...(e.TEAMS_APP_ID ? { appId: e.TEAMS_APP_ID } : {}),
      ...(e.PORTALOPS_PUBLIC_URL ? { publicUrl: e.PORTALOPS_PUBLIC_URL.replace(/\/+$/, '') } : {}),
      publisher: e.PORTALOPS_PUBLISHER,
      playground: {
        enabled: e.PORTALOPS_PLAYGROUND === 'on' && !e.TEAMS_CLIENT_ID,
        port: e.PORTALOPS_PLAYGROUND_PORT,
      },
    },
    alerts: {
      intervalMs: e.PORTALOPS_ALERT_INTERVAL_MS,
      busyIntervalMs: e.PORTALOPS_ALERT_BUSY_INTERVAL_MS,
      warnDays: e.PORTALOPS_ALERT_WARN_DAYS,
    },
    jobs: {
      pollIntervalMs: e.PORTALOPS_JOB_POLL_INTERVAL_MS,
      concurrency: e.PORTALOPS_JOB_CONCURRENCY,
      leaseMs: e.PORTALOPS_JOB_LEASE_SECONDS * 1000,
      deadlines: {
        provisioningMs: e.PORTALOPS_PROVISIONING_DEADLINE_MINUTES * 60_000,
        packageInstallMs: e.PORTALOPS_PACKAGE_INSTALL_DEADLINE_MINUTES * 60_000,
        deletionMs: e.PORTALOPS_DELETION_DEADLINE_MINUTES * 60_000,
      },
    },
    shutdown: { drainTimeoutMs: e.PORTALOPS_DRAIN_TIMEOUT_MS },
  };
  return deepFreeze(config);
}
