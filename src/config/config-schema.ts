import { z } from 'zod';

const url = z
  .url({ message: 'use a full URL such as https://api.powerplatform.com' })
  .transform((v) => v.replace(/\/+$/, ''));

const positiveInt = z.coerce
  .number({ message: 'use a whole number' })
  .int('use a whole number')
  .positive('use a number above 0');

/**
 * Every environment variable PortalOps reads, with its default. `.env.example` documents the
 * same list; keep both in step.
 */
export const envSchema = z.object({
  PORTALOPS_DATA_DIR: z.string().min(1).default('.data'),
  PORTALOPS_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, {
      message: 'use a PostgreSQL connection URL such as postgres://portalops:password@db:5432/portalops',
    })
    .optional(),
  PORTALOPS_ENVIRONMENTS_FILE: z.string().min(1).optional(),
  PORTALOPS_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'use one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  PORTALOPS_SIMULATOR: z
    .enum(['embedded', 'off'], { message: 'use embedded (local simulator) or off (real cloud)' })
    .default('embedded'),
  PORTALOPS_SIMULATOR_HOST: z.string().min(1).default('127.0.0.1'),
  PORTALOPS_SIMULATOR_PORT: z.coerce
    .number({ message: 'use a port number' })
    .int()
    .min(0)
    .max(65535)
    .default(7071),
  PORTALOPS_SIMULATOR_SCENARIO: z.string().min(1).optional(),
  PORTALOPS_SIMULATOR_TIME_SCALE: z.coerce
    .number({ message: 'use a number, e.g. 1 for real time or 0.01 to run 100x faster' })
    .positive('use a number above 0')
    .default(1),
  POWER_PLATFORM_API_URL: url.default('https://api.powerplatform.com'),
  BAP_API_URL: url.default('https://api.bap.microsoft.com'),
  AZURE_AUTHORITY_HOST: url.default('https://login.microsoftonline.com'),
  AZURE_TENANT_ID: z.string().min(1).optional(),
  AZURE_CLIENT_ID: z.string().min(1).optional(),
  AZURE_CLIENT_SECRET: z.string().min(1).optional(),
  PORTALOPS_AUTH_MODE: z
    .enum(['client_credentials', 'device_code'], { message: 'use client_credentials or device_code' })
    .default('device_code'),
  PORTALOPS_HTTP_TIMEOUT_MS: positiveInt.default(30_000),
  PORTALOPS_HTTP_MAX_RETRIES: z.coerce
    .number({ message: 'use a whole number' })
    .int()
    .min(0)
    .max(10)
    .default(4),
  PORTALOPS_HTTP_MAX_BACKOFF_MS: positiveInt.default(30_000),
  PORTALOPS_POLICY_FILE: z.string().min(1).optional(),
  SLACK_BOT_TOKEN: z
    .string()
    .startsWith('xoxb-', {
      message:
        'use the Bot User OAuth Token from the Slack app’s OAuth & Permissions page: it starts with xoxb- (a user token starts with xoxp-, an app-level token with xapp-)',
    })
    .optional(),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_APP_TOKEN: z
    .string()
    .startsWith('xapp-', { message: 'an app-level token starts with xapp-' })
    .optional(),
  SLACK_PORT: z.coerce.number({ message: 'use a port number' }).int().min(0).max(65535).default(3000),
  SLACK_HOST: z.string().min(1).default('127.0.0.1'),
  TEAMS_CLIENT_ID: z.string().min(1).optional(),
  TEAMS_CLIENT_SECRET: z.string().min(1).optional(),
  TEAMS_TENANT_ID: z.string().min(1).optional(),
  TEAMS_AUTH_TYPE: z
    .enum(['ClientSecret', 'UserManagedIdentity', 'SystemManagedIdentity', 'FederatedCredentials'], {
      message: 'use ClientSecret, UserManagedIdentity, SystemManagedIdentity or FederatedCredentials',
    })
    .optional(),
  TEAMS_APP_ID: z.string().uuid({ message: 'the Teams app id is a GUID' }).optional(),
  PORTALOPS_PUBLIC_URL: z
    .string()
    .url({ message: 'use the https:// address where PortalOps is reachable' })
    .startsWith('https://', { message: 'Teams needs an https:// address' })
    .optional(),
  PORTALOPS_PUBLISHER: z.string().min(1).max(32).default('PortalOps'),
  TEAMS_PORT: z.coerce.number({ message: 'use a port number' }).int().min(0).max(65535).default(3978),
  TEAMS_HOST: z.string().min(1).default('127.0.0.1'),
  PORTALOPS_PLAYGROUND: z
    .enum(['on', 'off'], { message: 'use on (start the Agents Playground locally) or off' })
    .default('on'),
  PORTALOPS_PLAYGROUND_PORT: z.coerce
    .number({ message: 'use a port number' })
    .int()
    .min(0)
    .max(65535)
    .default(56150),
  PORTALOPS_ALERT_INTERVAL_MS: positiveInt.default(60_000),
  PORTALOPS_ALERT_BUSY_INTERVAL_MS: positiveInt.default(10_000),
  PORTALOPS_ALERT_WARN_DAYS: positiveInt.default(7),
  PORTALOPS_JOB_POLL_INTERVAL_MS: positiveInt.default(5_000),
  PORTALOPS_JOB_CONCURRENCY: positiveInt.default(4),
  // A replica that stops renewing its job's lease for this long is taken for dead: another resumes the job.
  PORTALOPS_JOB_LEASE_SECONDS: positiveInt.default(30),
  // How long a job waits for each platform phase before it stops with a retryable error.
  // Provisioning usually takes 30 minutes and can take hours (provisioning document).
  PORTALOPS_PROVISIONING_DEADLINE_MINUTES: positiveInt.default(360),
  PORTALOPS_PACKAGE_INSTALL_DEADLINE_MINUTES: positiveInt.default(240),
  PORTALOPS_DELETION_DEADLINE_MINUTES: positiveInt.default(60),
  // How long a stopping replica may take to drain (stop claiming, release leases, close) before it exits anyway.
  PORTALOPS_DRAIN_TIMEOUT_MS: positiveInt.default(10_000),
});

/** The raw, validated environment. */
export type EnvVars = z.infer<typeof envSchema>;
