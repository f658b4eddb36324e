import { describe, expect, it } from 'vitest';
import { SingleFlight } from '../../../src/platform/http/single-flight.ts';

/** A read whose answer the test releases by hand. */
function pendingRead(answer: string) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let calls = 0;
  const read = async () => {
    const call = ++calls;
    await gate;
    return `${answer}-${call}`;
  };
  return { read, release, calls: () => calls };
}

describe('SingleFlight', () => {
  it('lets concurrent askers of one key share a single read', async () => {
    const flights = new SingleFlight<string>();
    const { read, release, calls } = pendingRead('sites');
    const first = flights.run('dev', read);
    const second = flights.run('dev', read);
    release();
    expect(await Promise.all([first, second])).toEqual(['sites-1', 'sites-1']);
    expect(calls()).toBe(1);
  });

  it('reads again once the earlier read has answered', async () => {
    const flights = new SingleFlight<string>();
    const { read, release, calls } = pendingRead('sites');
    release();
    await flights.run('dev', read);
    expect(await flights.run('dev', read)).toBe('sites-2');
    expect(calls()).toBe(2);
  });

  it('keeps keys apart', async () => {
    const flights = new SingleFlight<string>();
    const { read, release, calls } = pendingRead('sites');
    const dev = flights.run('dev', read);
    const prod = flights.run('prod', read);
    release();
    await Promise.all([dev, prod]);
    expect(calls()).toBe(2);
  });

  it('does not let a read asked after forget join the earlier one', async () => {
    const flights = new SingleFlight<string>();
    const { read, release, calls } = pendingRead('sites');
    const before = flights.run('dev', read);
    flights.forget('dev');
    const after = flights.run('dev', read);
    release();
    expect(await before).toBe('sites-1');
    expect(await after).toBe('sites-2');
    expect(calls()).toBe(2);
  });

  it('shares a failure with every asker and then tries afresh', async () => {
    const flights = new SingleFlight<string>();
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new Error('unavailable');
    };
    await expect(Promise.all([flights.run('dev', failing), flights.run('dev', failing)])).rejects.toThrow(
      'unavailable',
    );
    expect(calls).toBe(1);
    await expect(flights.run('dev', failing)).rejects.toThrow('unavailable');
    expect(calls).toBe(2);
  });
});
