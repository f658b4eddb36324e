import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.ts';
import { isPortalOpsError } from '../../../src/domain/errors.ts';

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (isPortalOpsError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig', () => {
  it('gives working defaults for a local run with the embedded simulator', () => {
    const config = loadConfig({});
    expect(config.simulator.mode).toBe('embedded');
    expect(config.urls.powerPlatformApi).toBe('https://api.powerplatform.com');
    expect(config.http.maxRetries).toBe(4);
    expect(config.dataDir.endsWith('.data')).toBe(true);
  });

  it('returns a frozen object, so nothing can change configuration after start-up', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.http)).toBe(true);
  });

  it('names the variable, the value and the fix when a value is wrong', () => {
    const message = configError({ PORTALOPS_HTTP_TIMEOUT_MS: 'soon' });
    expect(message).toContain('config_invalid');
    expect(message).toContain('PORTALOPS_HTTP_TIMEOUT_MS="soon"');
    expect(message).toContain('whole number');
  });

  it('reports every wrong variable at once', () => {
    const message = configError({ PORTALOPS_LOG_LEVEL: 'loud', POWER_PLATFORM_API_URL: 'not a url' });
    expect(message).toContain('PORTALOPS_LOG_LEVEL');
    expect(message).toContain('POWER_PLATFORM_API_URL');
  });

  it('asks for the app credentials when client credentials are chosen against the real cloud', () => {
    const message = configError({
      PORTALOPS_SIMULATOR: 'off',
      PORTALOPS_AUTH_MODE: 'client_credentials',
      PORTALOPS_ENVIRONMENTS_FILE: 'envs.yml',
      AZURE_TENANT_ID: 't',
    });
    expect(message).toContain('AZURE_CLIENT_ID, AZURE_CLIENT_SECRET');
    expect(message).not.toContain('AZURE_TENANT_ID,');
  });

  it('requires an environments registry when the simulator is off', () => {
    expect(configError({ PORTALOPS_SIMULATOR: 'off' })).toContain('PORTALOPS_ENVIRONMENTS_FILE');
  });

  it('strips trailing slashes from base URLs', () => {
    expect(loadConfig({ BAP_API_URL: 'http://127.0.0.1:7071/' }).urls.bapApi).toBe('http://127.0.0.1:7071');
  });
});
