/**
 * The Microsoft Entra ID endpoints MSAL talks to (login.microsoftonline.com shape): instance
 * discovery, OpenID configuration, client credentials, device code, refresh tokens, and a
 * small page where a person approves a device code by picking a scenario user.
 *
 * Several tenants: each scenario tenant has its own authority (`/{tenantId}/…`); a person signs
 * in to their own tenant, and a refresh token works only at the tenant that issued it.
 * Consent as Entra ID keeps it: a device-code sign-in consents to every resource its device
 * authorization request names (several resources may be named there, at most one `.default`),
 * a token request must name exactly one resource (AADSTS28000 otherwise), and a delegated
 * token is issued only for a resource consented to (AADSTS65001, `consent_required`). Entra ID
 * consents to Dynamics CRM once for all organizations of a tenant; the simulator counts each
 * organization URL as its own resource, which is stricter and catches a sign-in that forgot one.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import express, { type Request, type Response, Router } from 'express';
import type { SimApp, SimUser } from '../model.ts';
import type { TokenSigner } from '../tokens.ts';

/** What the identity endpoints need from the world. */
export interface IdentityWorld {
  users: SimUser[];
  apps: SimApp[];
  findUser(idOrUpn: string): SimUser | undefined;
  findApp(clientId: string): SimApp | undefined;
  now(): number;
  environments: { tenantId: string }[];
}

/** Options of the identity routes. */
export interface IdentityRouterOptions {
  world: IdentityWorld;
  tokens: TokenSigner;
  baseUrl: () => string;
  /** The scenario's tenants; without them, the tenants its environments, users and apps name. */
  tenants?: readonly { id: string; name: string }[];
  /**
   * Users (id or UPN) who approve every device code at once (tests and the local demo): the
   * first one in the tenant signed in to, else that tenant's first user.
   */
  autoApproveDeviceCodeAs?: string | readonly string[];
  /**
   * Resources a person cannot consent to themselves (a tenant that lets only administrators
   * consent): a sign-in naming them records no consent for them.
   */
  adminConsentOnly?: readonly string[];
  /** Lifetime of access tokens; Entra ID's default is about an hour. */
  accessTokenTtlSeconds?: () => number;
}

interface DeviceCode {
  userCode: string;
  clientId: string;
  tenantId: string;
  /** Resources the device authorization request named: the sign-in consents to all of them. */
  resources: string[];
  expiresAt: number;
  approvedUserId?: string;
  denied?: boolean;
  lastPollAt?: number;
}

const DEVICE_CODE_INTERVAL_SECONDS = 1;

function aadError(res: Response, status: number, error: string, description: string, code: number): void {
  res.status(status).json({
    error,
    error_description: `AADSTS${code}: ${description}`,
    error_codes: [code],
    timestamp: new Date().toISOString(),
    trace_id: randomUUID(),
    correlation_id: randomUUID(),
  });
}

const OIDC_SCOPES = ['openid', 'profile', 'offline_access', 'email'];

/** The resource scopes of a scope list (OpenID scopes left out). */
function resourceScopes(scope: string): string[] {
  return scope.split(/\s+/).filter((s) => s.includes('/') && !OIDC_SCOPES.includes(s));
}

/** The resources a scope list names: `https://x/.default https://y/User openid` → `[https://x, https://y]`. */
export function resourcesOf(scope: string): string[] {
  return [...new Set(resourceScopes(scope).map((s) => s.replace(/\/[^/]*$/, '').replace(/\/+$/, '')))];
}

/** The resource of a scope list: `https://x/.default openid` → `https://x`. */
export function resourceOf(scope: string): string | undefined {
  return resourcesOf(scope)[0];
}

/** The routes, mounted at the simulator root. */
export function createIdentityRouter(options: IdentityRouterOptions): Router {
  const { world, tokens } = options;
  const router = Router();
  const deviceCodes = new Map<string, DeviceCode>();
  const refreshTokens = new Map<string, { userId: string; clientId: string; tenantId: string }>();
  /** Resources each user consented to per app and tenant: `{tenant}|{clientId}|{userId}`. */
  const consents = new Map<string, Set<string>>();
  const consentKey = (tenantId: string, clientId: string, userId: string) =>
    `${tenantId.toLowerCase()}|${clientId}|${userId}`;
  const approvers = [options.autoApproveDeviceCodeAs ?? []].flat();
  const adminOnly = new Set((options.adminConsentOnly ?? []).map((r) => r.replace(/\/+$/, '')));
  /** The user who approves device codes for `tenant` at once, if auto-approval is on. */
  const autoApprover = (tenant: string): SimUser | undefined => {
    if (approvers.length === 0) return undefined;
    const named = approvers.map((a) => world.findUser(a)).filter((u): u is SimUser => Boolean(u));
    if (isGenericTenant(tenant)) return named[0];
    return (
      named.find((u) => sameTenant(u.tenantId, tenant)) ??
      world.users.find((u) => sameTenant(u.tenantId, tenant))
    );
  };
  const ttl = () => options.accessTokenTtlSeconds?.() ?? 3600;
  const form = express.urlencoded({ extended: false });

  /** The base the caller used (MSAL may reach us through an https alias it was configured with). */
  const publicBase = (req: Request) => {
    const host = req.headers['x-forwarded-host'];
    const proto = req.headers['x-forwarded-proto'];
    return host ? `${proto ?? 'https'}://${host}` : options.baseUrl();
  };
  const knownTenant = (tenant: string) =>
    isGenericTenant(tenant) ||
    (options.tenants
      ? options.tenants.some((t) => sameTenant(t.id, tenant))
      : world.environments.some((e) => sameTenant(e.tenantId, tenant)) ||
        world.users.some((u) => sameTenant(u.tenantId, tenant)) ||
        world.apps.some((a) => sameTenant(a.tenantId, tenant)));

  router.get('/common/discovery/instance', (req, res) => {
    const host = new URL(publicBase(req)).host;
    res.json({
      tenant_discovery_endpoint: `${publicBase(req)}/common/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  });

  router.get('/:tenant/v2.0/.well-known/openid-configuration', (req, res) => {
    const tenant = String(req.params.tenant);
    if (!knownTenant(tenant))
      return aadError(res, 400, 'invalid_tenant', `Tenant '${tenant}' not found.`, 90002);
    const base = `${publicBase(req)}/${tenant}`;
    res.json({
      issuer: `${base}/v2.0`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      jwks_uri: `${publicBase(req)}/${tenant}/discovery/v2.0/keys`,
      response_types_supported: ['code', 'id_token', 'token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    });
  });

  router.post('/:tenant/oauth2/v2.0/devicecode', form, (req, res) => {
    const tenant = String(req.params.tenant);
    if (!knownTenant(tenant))
      return aadError(res, 400, 'invalid_request', `Tenant '${tenant}' not found.`, 90002);
    const clientId = String(req.body?.client_id ?? '');
    if (!world.findApp(clientId)) {
      return aadError(
        res,
        400,
        'unauthorized_client',
        `Application '${clientId}' was not found in the directory.`,
        700016,
      );
    }
    const scope = String(req.body?.scope ?? '');
    if (resourceScopes(scope).filter((s) => s.endsWith('/.default')).length > 1) {
      return aadError(
        res,
        400,
        'invalid_scope',
        `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid. static scope limit exceeded.`,
        70011,
      );
    }
    const deviceCode = randomBytes(24).toString('base64url');
    const userCode = randomBytes(5).toString('hex').toUpperCase().slice(0, 9);
    const entry: DeviceCode = {
      userCode,
      clientId,
      tenantId: tenant,
      resources: resourcesOf(scope),
      expiresAt: world.now() + 900_000,
    };
    const approver = autoApprover(tenant);
    if (approver) entry.approvedUserId = approver.id;
    deviceCodes.set(deviceCode, entry);
    const verificationUri = `${options.baseUrl()}/device`;
    res.json({
      device_code: deviceCode,
      user_code: userCode,
      verification_uri: verificationUri,
      expires_in: 900,
      interval: DEVICE_CODE_INTERVAL_SECONDS,
      message: `To sign in, open ${verificationUri} and enter the code ${userCode} to authenticate.`,
    });
  });

  /** Tokens for `user` at `tenant`'s authority, for the one resource `scope` names, if consented. */
  const userTokenResponse = (
    res: Response,
    user: SimUser,
    clientId: string,
    scope: string,
    tenant: string,
  ) => {
    const resources = resourcesOf(scope);
    if (resources.length > 1) {
      return aadError(
        res,
        400,
        'invalid_scope',
        `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`,
        28000,
      );
    }
    const resource = resources[0];
    if (!resource)
      return aadError(
        res,
        400,
        'invalid_scope',
        'The scope must name a resource, like https://x/.default.',
        70011,
      );
    const tenantId = isGenericTenant(tenant) ? user.tenantId : tenant;
    if (!consents.get(consentKey(tenantId, clientId, user.id))?.has(resource)) {
      res.status(400).json({
        error: 'invalid_grant',
        error_description: `AADSTS65001: The user or administrator has not consented to use the application with ID '${clientId}' for the resource '${resource}'. Send an interactive authorization request for this user and resource.`,
        error_codes: [65001],
        suberror: 'consent_required',
        timestamp: new Date().toISOString(),
        trace_id: randomUUID(),
        correlation_id: randomUUID(),
      });
      return;
    }
    const issuer = `${options.baseUrl()}/${tenantId}/v2.0`;
    const accessToken = tokens.issueToken(
      {
        aud: resource,
        tid: tenantId,
        oid: user.id,
        appid: clientId,
        idtyp: 'user',
        upn: user.userPrincipalName,
        name: user.displayName,
        scp: 'user_impersonation',
      },
      ttl(),
    );
    const idToken = tokens.issueToken(
      {
        aud: clientId,
        iss: issuer,
        tid: tenantId,
        oid: user.id,
        sub: user.id,
        appid: clientId,
        idtyp: 'user',
        preferred_username: user.userPrincipalName,
        name: user.displayName,
        ver: '2.0',
      },
      ttl(),
    );
    const refreshToken = randomBytes(32).toString('base64url');
    refreshTokens.set(refreshToken, { userId: user.id, clientId, tenantId });
    res.json({
      token_type: 'Bearer',
      scope: `${resource}/.default`,
      expires_in: ttl(),
      ext_expires_in: ttl(),
      access_token: accessToken,
      refresh_token: refreshToken,
      id_token: idToken,
      client_info: Buffer.from(JSON.stringify({ uid: user.id, utid: user.tenantId })).toString('base64url'),
    });
  };

  router.post('/:tenant/oauth2/v2.0/token', form, (req, res) => {
    const tenant = String(req.params.tenant);
    if (!knownTenant(tenant))
      return aadError(res, 400, 'invalid_request', `Tenant '${tenant}' not found.`, 90002);
    const body = (req.body ?? {}) as Record<string, string>;
    const grant = body.grant_type;
    if (grant === 'client_credentials') {
      const app = world.findApp(body.client_id ?? '');
      if (!app)
        return aadError(
          res,
          400,
          'unauthorized_client',
          `Application '${body.client_id}' was not found.`,
          700016,
        );
      if (body.client_secret !== app.clientSecret) {
        return aadError(res, 401, 'invalid_client', 'Invalid client secret provided.', 7000215);
      }
      const resource = resourceOf(body.scope ?? '');
      if (!resource || !(body.scope ?? '').endsWith('/.default')) {
        return aadError(
          res,
          400,
          'invalid_scope',
          'Client credentials need a scope ending in /.default.',
          1002012,
        );
      }
      // A multi-tenant app registration with admin consent in every scenario tenant: the token
      // belongs to the tenant whose authority issued it.
      const tid = isGenericTenant(tenant) ? app.tenantId : tenant;
      const token = tokens.issueToken(
        { aud: resource, tid, oid: app.clientId, appid: app.clientId, idtyp: 'app', roles: [] },
        ttl(),
      );
      return res.json({
        token_type: 'Bearer',
        expires_in: ttl(),
        ext_expires_in: ttl(),
        access_token: token,
      });
    }
    if (grant === 'urn:ietf:params:oauth:grant-type:device_code' || grant === 'device_code') {
      const entry = deviceCodes.get(body.device_code ?? '');
      if (!entry) return aadError(res, 400, 'invalid_grant', 'The device code is not valid.', 70000);
      if (entry.expiresAt <= world.now()) {
        deviceCodes.delete(body.device_code!);
        return aadError(res, 400, 'expired_token', 'The device code has expired.', 70020);
      }
      if (entry.denied)
        return aadError(res, 400, 'authorization_declined', 'The user declined the sign-in.', 70000);
      if (!entry.approvedUserId)
        return aadError(res, 400, 'authorization_pending', 'The user has not signed in yet.', 70016);
      deviceCodes.delete(body.device_code!);
      const user = world.findUser(entry.approvedUserId)!;
      const tenantId = isGenericTenant(entry.tenantId) ? user.tenantId : entry.tenantId;
      const key = consentKey(tenantId, entry.clientId, user.id);
      const consentable = entry.resources.filter((r) => !adminOnly.has(r));
      consents.set(key, new Set([...(consents.get(key) ?? []), ...consentable]));
      const scope =
        resourcesOf(body.scope ?? '').length > 0
          ? (body.scope ?? '')
          : `${entry.resources[0] ?? ''}/.default`;
      return userTokenResponse(res, user, entry.clientId, scope, tenant);
    }
    if (grant === 'refresh_token') {
      const session = refreshTokens.get(body.refresh_token ?? '');
      if (!session || session.clientId !== body.client_id) {
        return aadError(res, 400, 'invalid_grant', 'The refresh token is not valid or has expired.', 700082);
      }
      const user = world.findUser(session.userId);
      if (!user) return aadError(res, 400, 'invalid_grant', 'The user no longer exists.', 50034);
      if (!isGenericTenant(tenant) && !sameTenant(session.tenantId, tenant)) {
        return aadError(
          res,
          400,
          'invalid_grant',
          `User account '${user.userPrincipalName}' does not exist in tenant '${tenant}'. The refresh token was issued by another tenant.`,
          50020,
        );
      }
      return userTokenResponse(res, user, session.clientId, body.scope ?? '', tenant);
    }
    return aadError(
      res,
      400,
      'unsupported_grant_type',
      `Grant type '${grant ?? ''}' is not supported.`,
      70003,
    );
  });

  router.get('/device', (_req, res) => {
    const users = world.users.map(
      (u) =>
        `<option value="${u.id}">${escapeHtml(u.displayName)} (${escapeHtml(u.userPrincipalName)})</option>`,
    );
    res
      .type('html')
      .send(
        `<!doctype html><title>Sign in</title><h1>Sign in to the simulator</h1><form method="post">` +
          `<label>Code <input name="user_code" autofocus></label> <label>As <select name="user">${users.join('')}</select></label> ` +
          `<button>Sign in</button></form>`,
      );
  });

  router.post('/device', form, (req, res) => {
    const code = String(req.body?.user_code ?? '')
      .trim()
      .toUpperCase();
    const entry = [...deviceCodes.values()].find((d) => d.userCode === code);
    const user = world.findUser(String(req.body?.user ?? ''));
    if (!entry || !user)
      return res.status(400).type('html').send('<p>That code is not valid. Go back and try again.</p>');
    if (!isGenericTenant(entry.tenantId) && !sameTenant(user.tenantId, entry.tenantId)) {
      return res
        .status(400)
        .type('html')
        .send(
          `<p>${escapeHtml(user.userPrincipalName)} is not a member of tenant ${escapeHtml(entry.tenantId)}.</p>`,
        );
    }
    entry.approvedUserId = user.id;
    res.type('html').send(`<p>Signed in as ${escapeHtml(user.displayName)}. You can close this page.</p>`);
  });

  return router;
}

const isGenericTenant = (tenant: string) => ['common', 'organizations'].includes(tenant.toLowerCase());
const sameTenant = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function escapeHtml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}
