import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../../../src/domain/job.ts';
import { JobEngine } from '../../../src/jobs/engine.ts';
import type { JobKindDefinition } from '../../../src/jobs/job-kind.ts';
import { LowdbStore } from '../../../src/storage/lowdb-store.ts';
import { makeTempDir } from '../../support/temp-dir.ts';
import { waitUntil } from '../../support/wait-until.ts';

interface Deps {
  calls: string[];
}

const twoSteps: JobKindDefinition<Deps> = {
  kind: 'two',
  title: () => 'Two steps',
  steps: () =>
    ['a', 'b'].map((id) => ({
      id,
      title: `Step ${id}`,
      run: async (ctx) => {
        ctx.deps.calls.push(id);
        return {};
      },
    })),
};

/** A job another process was running when it died: step a done, step b running, lease held. */
function leftRunning(id: string, leaseEndsInMs: number): Job {
  const at = new Date().toISOString();
  return {
    id,
    kind: 'two',
    title: 'Two steps',
    params: {},
    requester: { id: 'alice' },
    siteKey: `env/${id}`,
    state: 'running',
    steps: [
      { id: 'a', title: 'Step a', status: 'succeeded', attempts: 1 },
      { id: 'b', title: 'Step b', status: 'running', attempts: 1 },
    ],
    attempt: 1,
    createdAt: at,
    updatedAt: at,
    startedAt: at,
    context: {},
    messages: [],
    lease: {
      owner: 'engine-gone',
      token: 'old',
      expiresAt: new Date(Date.now() + leaseEndsInMs).toISOString(),
    },
  };
}

describe('an interrupted job', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: LowdbStore;
  const engines: JobEngine<Deps>[] = [];
  const engine = (deps: Deps, ownsStore: boolean) => {
    const e = new JobEngine<Deps>({
      store,
      kinds: [twoSteps],
      deps,
      leaseMs: 300,
      pollIntervalMs: 20,
      ownsStore,
    });
    engines.push(e);
    return e;
  };
  beforeEach(async () => {
    temp = makeTempDir();
    store = await LowdbStore.open(temp.dir);
  });
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.stop()));
    await store.close();
    temp.remove();
  });

  it('is refused while another process may hold its lease, saying when the lease ends', async () => {
    await store.collection('jobs').put(leftRunning('J-LIVE1', 60_000));
    const e = engine({ calls: [] }, false);
    expect(e.isInterrupted(e.get('J-LIVE1')!)).toBe(false);
    await expect(e.resume('J-LIVE1', 'alice')).rejects.toMatchObject({
      code: 'job_state_conflict',
      message: expect.stringMatching(/running in another PortalOps process .*lease ends in \d+ s/),
    });
    // It can still be asked to stop: the process holding it stops it after its current step.
    const asked = await e.cancel('J-LIVE1', 'alice');
    expect(asked.state).toBe('running');
    expect(asked.cancelRequested?.by).toBe('alice');
  });

  it('resumes at once from the step it was at when this process owns the store, taking over the lease', async () => {
    await store.collection('jobs').put(leftRunning('J-DEAD1', 60_000));
    const deps = { calls: [] as string[] };
    const e = engine(deps, true);
    expect(e.isInterrupted(e.get('J-DEAD1')!)).toBe(true);
    const resumed = await e.resume('J-DEAD1', 'alice');
    expect(resumed.lease?.owner).toBe(e.engineId);
    const done = await waitUntil(
      () => (e.get('J-DEAD1')?.state === 'succeeded' ? e.get('J-DEAD1') : undefined),
      5_000,
      'done',
    );
    expect(done!.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded']);
    // Step a had finished before the crash and is not run again.
    expect(deps.calls).toEqual(['b']);
    expect(store.readAudit({ subject: 'job:J-DEAD1', action: 'job.resumed' })[0]?.details).toMatchObject({
      by: 'alice',
      previousLeaseOwner: 'engine-gone',
    });
  });

  it('is cancelled at once once its lease expired, leaving finished steps as they were', async () => {
    await store.collection('jobs').put(leftRunning('J-OLD01', -1));
    const e = engine({ calls: [] }, false);
    const cancelled = await e.cancel('J-OLD01', 'alice');
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.lease).toBeUndefined();
    expect(cancelled.steps.map((s) => s.status)).toEqual(['succeeded', 'cancelled']);
    // The site is free again.
    await expect(
      e.submit({ kind: 'two', params: {}, requester: { id: 'alice' }, siteKey: 'env/J-OLD01' }),
    ).resolves.toMatchObject({ state: 'queued' });
  });
});
