import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.ts';

describe('PORTALOPS_DATABASE_URL', () => {
  it('chooses the shared database, and the embedded store when unset', () => {
    expect(loadConfig({ PORTALOPS_DATABASE_URL: 'postgres://portalops@db:5432/portalops' }).database).toEqual(
      {
        url: 'postgres://portalops@db:5432/portalops',
      },
    );
    expect(loadConfig({}).database).toBeUndefined();
    expect(loadConfig({}).jobs.leaseMs).toBe(30_000);
    expect(loadConfig({ PORTALOPS_JOB_LEASE_SECONDS: '10' }).jobs.leaseMs).toBe(10_000);
  });

  it('refuses another kind of URL with the shape it wants, never echoing a password', () => {
    let message = '';
    try {
      loadConfig({ PORTALOPS_DATABASE_URL: 'mysql://root:hunter2@db/portalops' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/PORTALOPS_DATABASE_URL: use a PostgreSQL connection URL such as postgres:\/\//);
    expect(message).not.toContain('hunter2');
  });
});
