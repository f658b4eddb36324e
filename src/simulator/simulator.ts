/**
 * The simulator: one loopback HTTP server speaking the Power Pages admin API, the environment
 * lookup, the Dataverse Web API and the Entra ID token endpoints, over one seeded world.
 */

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { EnvironmentEntry } from '../domain/environment.ts';
import { listenOn } from '../platform/http/listen-on.ts';
import { createAppManagementRouter } from './app-management/app-management-router.ts';
import { SimApplicationPackages } from './app-management/application-packages.ts';
import { authenticate, sendError } from './auth-middleware.ts';
import { createBapRouter } from './bap/bap-router.ts';
import {
  createDataverseRouter,
  type DataverseStats,
  newDataverseStats,
} from './dataverse/dataverse-router.ts';
import type { ServiceProtectionLimits } from './dataverse/service-protection.ts';
import { Faults } from './faults.ts';
import { createIdentityRouter } from './identity/identity-router.ts';
import type { Scenario } from './model.ts';
import { createPowerPagesRouter } from './power-pages/power-pages-router.ts';
import { DEFAULT_SCENARIO_FILE, readScenarioFile } from './scenario-file.ts';
import { createSiteHostRouter } from './site-host.ts';
import { createTokenSigner, type TokenSigner } from './tokens.ts';
import { SimulatorWorld } from './world.ts';

/** The audiences of the simulated services, as the real ones name them. */
export const POWER_PLATFORM_AUDIENCE = 'https://api.powerplatform.com';
/** The environment lookup's audience PortalOps asks for (the PowerApps service, as Terraform does). */
export const BAP_AUDIENCE = 'https://service.powerapps.com';
/**
 * Both audiences real clients use for the environment lookup are accepted
 * (test/contracts/samples/bap/requests-and-token-scopes.md): cli-microsoft365 and
 * powerplatform-vscode send `https://api.bap.microsoft.com` tokens, Terraform PowerApps service ones.
 */
export const BAP_AUDIENCES = [BAP_AUDIENCE, 'https://api.bap.microsoft.com'] as const;

/** Options of {@link startSimulator}. */
export interface SimulatorOptions {
  /** A scenario, or the path of a scenario file; the default scenario otherwise. */
  scenario?: Scenario | string;
  host?: string;
  port?: number;
  /** Multiplies lifecycle durations (0.001 makes 20 s last 20 ms). */
  timeScale?: number;
  now?: () => number;
  /** Websites per page of the Power Pages list. Default 50. */
  pageSize?: number;
  /** Requests per window the Power Pages API accepts before answering 429. */
  powerPagesLimit?: { maxRequests: number; windowMs: number };
  dataverse?: { limits?: Partial<ServiceProtectionLimits>; latencyMs?: number };
  /**
   * Approve every device-code sign-in at once (tests and the local demo): as the first of these
   * users in the tenant signed in to, else as that tenant's first user.
   */
  autoApproveDeviceCodeAs?: string | string[];
  /** Resources only an administrator may consent to: device-code sign-ins get no consent for them. */
  adminConsentOnly?: string[];
  /** Lifetime of issued access tokens. Default 3600 s. */
  accessTokenTtlSeconds?: number;
}

/** A running simulator. */
export interface RunningSimulator {
  baseUrl: string;
  /** Base URLs to configure the real clients with. */
  urls: { powerPlatformApi: string; bapApi: string; authorityHost: string };
  /** The Dataverse URL of an environment (by alias or id). */
  dataverseUrl(environment: string): string;
  world: SimulatorWorld;
  /** Application packages per environment (Power Platform API `/appmanagement`). */
  applicationPackages: SimApplicationPackages;
  faults: Faults;
  dataverseStats: DataverseStats;
  /** Method and path of the latest requests (up to 10,000), for tests that count calls. */
  requestLog: { method: string; path: string }[];
  /** Sets the lifetime of access tokens issued from now on. */
  setAccessTokenTtl(seconds: number): void;
  /** An environments registry pointing at this simulator. */
  environmentsRegistry(): EnvironmentEntry[];
  issueUserToken(userIdOrUpn: string, audience: string, ttlSeconds?: number): string;
  issueAppToken(clientId: string, audience: string, ttlSeconds?: number): string;
  close(): Promise<void>;
}

function powerPagesThrottle(limit: { maxRequests: number; windowMs: number } | undefined) {
  const hits: number[] = [];
  return (_req: Request, res: Response, next: NextFunction) => {
    if (!limit) return next();
    const now = Date.now();
    while (hits.length > 0 && hits[0]! <= now - limit.windowMs) hits.shift();
    if (hits.length >= limit.maxRequests) {
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil((hits[0]! + limit.windowMs - now) / 1000))));
      return sendError(res, 429, 'TooManyRequests', 'Rate limit is exceeded. Try again later.');
    }
    hits.push(now);
    next();
  };
}

/** Starts the simulator on loopback (port 0 picks a free port). Prints nothing. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const scenario =
    typeof options.scenario === 'object'
      ? options.scenario
      : readScenarioFile(options.scenario ?? DEFAULT_SCENARIO_FILE);
  const world = new SimulatorWorld(scenario, {
    ...(options.now ? { now: options.now } : {}),
    timeScale: options.timeScale ?? 1,
  });
  const tokens: TokenSigner = createTokenSigner(() => world.now());
  const faults = new Faults(world);
  const applicationPackages = new SimApplicationPackages(world);
  for (const fault of scenario.faults ?? []) {
    if (fault.kind === 'provisioning') {
      const { kind: _k, ...failure } = fault;
      faults.failNextProvisioning(failure);
    } else {
      faults.failNextDelete({
        kind: fault.failure,
        ...(fault.websiteId ? { websiteId: fault.websiteId } : {}),
      });
    }
  }
  let baseUrl = '';
  let tokenTtl = options.accessTokenTtlSeconds ?? 3600;
  const dataverseStats = newDataverseStats();
  const registry = (): EnvironmentEntry[] =>
    world.environments.map((e) => ({
      alias: e.alias,
      displayName: e.displayName,
      environmentId: e.id,
      dataverseUrl: `${baseUrl}/orgs/${e.orgUniqueName}`,
      tenantId: e.tenantId,
      protected: e.protected,
    }));

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const requestLog: { method: string; path: string }[] = [];
  app.use((req, _res, next) => {
    requestLog.push({ method: req.method, path: req.path });
    if (requestLog.length > 10_000) requestLog.splice(0, requestLog.length - 10_000);
    next();
  });
  app.use(faults.middleware());
  app.use(
    createIdentityRouter({
      world,
      tokens,
      baseUrl: () => baseUrl,
      tenants: scenario.tenants,
      ...(options.adminConsentOnly ? { adminConsentOnly: options.adminConsentOnly } : {}),
      accessTokenTtlSeconds: () => tokenTtl,
      ...(options.autoApproveDeviceCodeAs
        ? { autoApproveDeviceCodeAs: options.autoApproveDeviceCodeAs }
        : {}),
    }),
  );
  app.use(createSiteHostRouter(world));
  // Simulator-only: lets local PortalOps commands find the environments of a running simulator.
  app.get('/portalops/registry', (_req, res) => {
    res.json(registry());
  });
  /** The tenant of the environment a `/{api}/environments/{id}/…` path names. */
  const tenantOfEnvironmentPath = (req: Request) => {
    const id = /^\/environments\/([^/]+)/.exec(req.path)?.[1];
    return id ? world.findEnvironment(decodeURIComponent(id))?.tenantId : undefined;
  };
  app.use(
    '/powerpages',
    authenticate(tokens, () => POWER_PLATFORM_AUDIENCE, tenantOfEnvironmentPath),
    powerPagesThrottle(options.powerPagesLimit),
    express.json(),
  );
  app.use(createPowerPagesRouter({ world, baseUrl: () => baseUrl, pageSize: options.pageSize ?? 50 }));
  app.use(
    '/appmanagement',
    authenticate(tokens, () => POWER_PLATFORM_AUDIENCE, tenantOfEnvironmentPath),
    express.json(),
  );
  app.use(createAppManagementRouter({ world, packages: applicationPackages, baseUrl: () => baseUrl }));
  app.use(
    '/providers',
    authenticate(tokens, () => BAP_AUDIENCES),
  );
  app.use(createBapRouter({ world, baseUrl: () => baseUrl }));
  app.use(
    '/orgs/:org/api/data/v9.2',
    authenticate(
      tokens,
      (req) => `${baseUrl}/orgs/${req.params.org}`,
      (req) => world.findEnvironmentByOrg(String(req.params.org))?.tenantId,
    ),
    createDataverseRouter({
      world,
      baseUrl: () => baseUrl,
      stats: dataverseStats,
      ...(options.dataverse?.limits ? { limits: options.dataverse.limits } : {}),
      ...(options.dataverse?.latencyMs !== undefined ? { latencyMs: options.dataverse.latencyMs } : {}),
    }),
  );
  app.use((req, res) =>
    sendError(res, 404, 'NotFound', `No simulated service answers ${req.method} ${req.path}.`),
  );
  app.use(
    (
      error: Error & { status?: number; type?: string },
      _req: Request,
      res: Response,
      _next: NextFunction,
    ) => {
      if (error.type === 'entity.parse.failed')
        return sendError(res, 400, 'BadRequest', 'The request body is not valid JSON.');
      sendError(
        res,
        error.status ?? 500,
        'InternalServerError',
        'The simulator failed to answer this request.',
      );
    },
  );

  const server: Server = await listenOn(app, {
    what: 'The simulator',
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    variable: 'PORTALOPS_SIMULATOR_PORT',
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;
  world.siteBaseUrl = `${baseUrl}/sites`;
  for (const site of world.sites.values()) site.websiteUrl = `${world.siteBaseUrl}/${site.subdomain}`;

  const envOf = (environment: string) => {
    const env = world.findEnvironment(environment);
    if (!env) throw new Error(`The scenario has no environment '${environment}'.`);
    return env;
  };
  return {
    baseUrl,
    urls: { powerPlatformApi: baseUrl, bapApi: baseUrl, authorityHost: baseUrl },
    dataverseUrl: (environment) => `${baseUrl}/orgs/${envOf(environment).orgUniqueName}`,
    world,
    applicationPackages,
    faults,
    dataverseStats,
    requestLog,
    setAccessTokenTtl: (seconds) => {
      tokenTtl = seconds;
    },
    environmentsRegistry: registry,
    issueUserToken: (userIdOrUpn, audience, ttlSeconds = tokenTtl) => {
      const user = world.findUser(userIdOrUpn);
      if (!user) throw new Error(`The scenario has no user '${userIdOrUpn}'.`);
      return tokens.issueToken(
        {
          aud: audience,
          tid: user.tenantId,
          oid: user.id,
          appid: 'portalops-app',
          idtyp: 'user',
          upn: user.userPrincipalName,
          scp: 'user_impersonation',
        },
        ttlSeconds,
      );
    },
    issueAppToken: (clientId, audience, ttlSeconds = tokenTtl) => {
      const app = world.findApp(clientId);
      if (!app) throw new Error(`The scenario has no app '${clientId}'.`);
      return tokens.issueToken(
        { aud: audience, tid: app.tenantId, oid: app.clientId, appid: app.clientId, idtyp: 'app', roles: [] },
        ttlSeconds,
      );
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
