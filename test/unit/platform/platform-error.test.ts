import { AxiosError, AxiosHeaders } from 'axios';
import { describe, expect, it } from 'vitest';
import { codeForStatus, toPortalOpsError } from '../../../src/platform/http/platform-error.ts';

const context = { service: 'Power Pages API', action: 'list websites' };

function answered(status: number, data: unknown, headers: Record<string, string> = {}): AxiosError {
  const config = {
    method: 'get',
    url: 'https://api.powerplatform.com/powerpages/x',
    headers: new AxiosHeaders({ Authorization: 'Bearer secret-token' }),
  };
  return new AxiosError('failed', undefined, config, undefined, {
    status,
    statusText: '',
    headers,
    config,
    data,
  } as never);
}

describe('toPortalOpsError', () => {
  it('maps statuses to stable codes', () => {
    expect(codeForStatus(401, 'ExpiredAuthenticationToken').code).toBe('token_expired');
    expect(codeForStatus(401).code).toBe('auth_failed');
    expect(codeForStatus(403, 'MissingSiteAppPermission').code).toBe('missing_site_app_permission');
    expect(codeForStatus(403).code).toBe('forbidden');
    expect(codeForStatus(404).code).toBe('not_found');
    expect(codeForStatus(412).code).toBe('conflict');
    expect(codeForStatus(422).code).toBe('bad_request');
    expect(codeForStatus(500)).toEqual({ code: 'platform_error', retryable: true });
  });

  it('keeps the platform’s code and reason in one line, with Retry-After for throttling', () => {
    const error = toPortalOpsError(
      answered(429, { error: { code: 'TooManyRequests', message: 'Slow down.' } }, { 'retry-after': '7' }),
      context,
    );
    expect(error).toMatchObject({
      code: 'throttled',
      retryable: true,
      platformCode: 'TooManyRequests',
      details: { retryAfterSeconds: 7 },
    });
    expect(error.message).toBe('Power Pages API could not list websites: Slow down. (TooManyRequests)');
  });

  it('never carries the request headers (tokens) along', () => {
    const error = toPortalOpsError(answered(500, { error: { code: 'Boom', message: 'Broken' } }), context);
    expect(JSON.stringify(error)).not.toContain('secret-token');
    expect(String((error.cause as Error).message)).not.toContain('secret-token');
  });

  it('names the host when it cannot be reached, and says timeout for a slow answer', () => {
    const config = { method: 'get', url: 'http://127.0.0.1:9/x', headers: new AxiosHeaders() };
    const refused = toPortalOpsError(new AxiosError('connect ECONNREFUSED', 'ECONNREFUSED', config), context);
    expect(refused.code).toBe('endpoint_unreachable');
    expect(refused.message).toContain('127.0.0.1:9');
    const slow = toPortalOpsError(
      new AxiosError('timeout of 10ms exceeded', 'ECONNABORTED', config),
      context,
    );
    expect(slow.code).toBe('request_timeout');
  });
});
