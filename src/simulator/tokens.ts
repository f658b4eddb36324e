/**
 * The simulator's token signer: HS256 JWTs with a key held by one simulator instance, so only
 * tokens it issued are accepted, and expiry is real.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** Claims the simulator puts into access tokens (a subset of Entra ID's). */
export interface TokenClaims {
  aud: string;
  tid: string;
  oid: string;
  appid: string;
  idtyp: 'user' | 'app';
  upn?: string;
  name?: string;
  scp?: string;
  roles?: string[];
  iat?: number;
  nbf?: number;
  exp?: number;
  iss?: string;
  [claim: string]: unknown;
}

/** Why a token was refused. */
export class TokenRejected extends Error {
  constructor(
    readonly reason: 'invalid' | 'expired',
    message: string,
  ) {
    super(message);
  }
}

/** Signs and verifies the simulator's JWTs. */
export interface TokenSigner {
  issueToken(claims: TokenClaims, ttlSeconds: number): string;
  /** The claims of a valid token; throws {@link TokenRejected} otherwise. */
  verifyToken(jwt: string): TokenClaims;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** Encodes a JWT (header.payload.signature) with the given signer; `none` leaves the signature empty. */
export function encodeJwt(payload: object, sign?: (input: string) => string): string {
  const header = base64url(JSON.stringify({ alg: sign ? 'HS256' : 'none', typ: 'JWT' }));
  const body = base64url(JSON.stringify(payload));
  const input = `${header}.${body}`;
  return `${input}.${sign ? sign(input) : ''}`;
}

/** A signer with a fresh random key. `now` returns epoch ms (the simulator's clock). */
export function createTokenSigner(now: () => number = Date.now): TokenSigner {
  const key = randomBytes(32);
  const sign = (input: string) => createHmac('sha256', key).update(input).digest('base64url');
  return {
    issueToken(claims, ttlSeconds) {
      const iat = Math.floor(now() / 1000);
      return encodeJwt(
        { iss: 'portalops-simulator', uti: randomUUID(), ...claims, iat, nbf: iat, exp: iat + ttlSeconds },
        sign,
      );
    },
    verifyToken(jwt) {
      const parts = jwt.split('.');
      if (parts.length !== 3) throw new TokenRejected('invalid', 'The access token is malformed.');
      const [header, body, signature] = parts as [string, string, string];
      const expected = Buffer.from(sign(`${header}.${body}`));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
        throw new TokenRejected('invalid', 'The access token signature is invalid.');
      }
      let claims: TokenClaims;
      try {
        claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenClaims;
      } catch {
        throw new TokenRejected('invalid', 'The access token payload is not JSON.');
      }
      if (typeof claims.exp === 'number' && claims.exp * 1000 <= now()) {
        throw new TokenRejected('expired', 'The access token has expired.');
      }
      return claims;
    },
  };
}
