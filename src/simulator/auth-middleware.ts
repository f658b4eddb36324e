/**
 * Bearer-token check for the simulated services: a token the simulator issued, not expired,
 * for the service's audience. Sets `res.locals.principal`.
 */
import type { NextFunction, Request, Response } from 'express';
import type { SimPrincipal } from './model.ts';
import { TokenRejected, type TokenSigner } from './tokens.ts';

/** Answers a service error in the `{error:{code,message}}` shape. */
export function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

/**
 * Middleware requiring a valid token whose audience is `expectedAudience(req)` (one of them,
 * when a service answers to several identifier URIs) and, when `expectedTenant(req)` names one,
 * issued by that tenant: an environment is served only to tokens from its own tenant.
 */
export function authenticate(
  tokens: TokenSigner,
  expectedAudience: (req: Request) => string | readonly string[],
  expectedTenant?: (req: Request) => string | undefined,
) {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return sendError(res, 401, 'InvalidAuthenticationToken', 'No bearer token was sent.');
    }
    try {
      const claims = tokens.verifyToken(match[1]!);
      const audiences = [expectedAudience(req)].flat().map((a) => a.replace(/\/$/, ''));
      if (!audiences.includes(String(claims.aud).replace(/\/$/, ''))) {
        return sendError(
          res,
          401,
          'InvalidAuthenticationToken',
          `The token audience is not valid for ${audiences.join(' or ')}.`,
        );
      }
      const tenant = expectedTenant?.(req);
      if (tenant && String(claims.tid).toLowerCase() !== tenant.toLowerCase()) {
        return sendError(
          res,
          401,
          'InvalidAuthenticationToken',
          `The token was issued by tenant ${claims.tid}, but this environment belongs to tenant ${tenant}.`,
        );
      }
      const principal: SimPrincipal = {
        kind: claims.idtyp,
        id: claims.idtyp === 'app' ? claims.appid : claims.oid,
        tenantId: claims.tid,
        clientId: claims.appid,
        audience: claims.aud,
        ...(claims.upn ? { userPrincipalName: claims.upn } : {}),
      };
      res.locals.principal = principal;
      next();
    } catch (error) {
      if (error instanceof TokenRejected && error.reason === 'expired') {
        return sendError(res, 401, 'ExpiredAuthenticationToken', 'The access token has expired.');
      }
      return sendError(res, 401, 'InvalidAuthenticationToken', 'The access token is not valid.');
    }
  };
}
