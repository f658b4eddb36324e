import { describe, expect, it } from 'vitest';
import { ReadCache } from '../../../src/storage/postgres/read-cache.ts';

describe('the read cache of a PostgreSQL store', () => {
  it('keeps the newest version of a record whatever order copies arrive in', () => {
    const cache = new ReadCache();
    expect(cache.putRecord('jobs', { id: 'J-1', n: 2 } as never, 20)).toBe(true);
    // A notice fetched before the replica's own later write lands after it: ignored.
    expect(cache.putRecord('jobs', { id: 'J-1', n: 1 } as never, 10)).toBe(false);
    expect(cache.record('jobs', 'J-1')).toEqual({ id: 'J-1', n: 2 });
  });

  it('drops a deleted record only when no newer copy was written after the delete', () => {
    const cache = new ReadCache();
    cache.putRecord('alerts', { id: 'A-1' } as never, 5);
    cache.putRecord('alerts', { id: 'A-1', again: true } as never, 9);
    // The delete notice names the version it deleted (5): the re-created record stays.
    expect(cache.dropRecord('alerts', 'A-1', 5)).toBe(false);
    expect(cache.record('alerts', 'A-1')).toEqual({ id: 'A-1', again: true });
    expect(cache.dropRecord('alerts', 'A-1', 9)).toBe(true);
    expect(cache.record('alerts', 'A-1')).toBeUndefined();
  });

  it('orders audit entries by their sequence number and takes each once', () => {
    const cache = new ReadCache();
    const entry = (action: string) => ({ at: '', actor: 'a', action, subject: 's', outcome: 'ok' });
    cache.addAudit(3, entry('third'));
    cache.addAudit(1, entry('first'));
    cache.addAudit(2, entry('second'));
    cache.addAudit(3, entry('third'));
    expect(cache.auditEntries().map((e) => e.action)).toEqual(['first', 'second', 'third']);
  });

  it('after a reload holds what the database holds, keeping newer local copies', () => {
    const cache = new ReadCache();
    cache.putRecord('subscriptions', { id: 'gone' } as never, 1);
    cache.putRecord('subscriptions', { id: 'kept', local: true } as never, 8);
    cache.replaceRecords('subscriptions', [{ value: { id: 'kept', local: false } as never, version: 7 }]);
    expect(cache.record('subscriptions', 'gone')).toBeUndefined();
    expect(cache.record('subscriptions', 'kept')).toEqual({ id: 'kept', local: true });
  });
});
