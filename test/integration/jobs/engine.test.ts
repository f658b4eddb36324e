import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PortalOpsError } from '../../../src/domain/errors.ts';
import type { Job } from '../../../src/domain/job.ts';
import { JobEngine, type JobEngineOptions } from '../../../src/jobs/engine.ts';
import type { JobEvent } from '../../../src/jobs/job-events.ts';
import type { JobKindDefinition, StepDefinition } from '../../../src/jobs/job-kind.ts';
import { LowdbStore } from '../../../src/storage/lowdb-store.ts';
import { makeTempDir } from '../../support/temp-dir.ts';
import { waitUntil } from '../../support/wait-until.ts';

interface Deps {
  calls: string[];
}

/** A kind whose steps are given per test. */
function kind(name: string, steps: StepDefinition<Deps>[]): JobKindDefinition<Deps> {
  return { kind: name, title: (job) => `${name} ${job.siteKey}`, steps: () => steps };
}

function recordingStep(id: string, effect?: (attempt: number) => void | Promise<void>): StepDefinition<Deps> {
  let attempt = 0;
  return {
    id,
    title: `Step ${id}`,
    run: async (ctx) => {
      attempt++;
      ctx.deps.calls.push(id);
      await effect?.(attempt);
      return { output: { ran: id } };
    },
  };
}

const alice = { id: 'alice', displayName: 'Alice' };
const fastRetry = { maxAttempts: 3, baseMs: 5, maxMs: 20 };

describe('JobEngine', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: LowdbStore;
  const engines: JobEngine<Deps>[] = [];

  function engine(kinds: JobKindDefinition<Deps>[], deps: Deps, extra: Partial<JobEngineOptions<Deps>> = {}) {
    const e = new JobEngine<Deps>({
      store,
      kinds,
      deps,
      pollIntervalMs: 20,
      leaseMs: 300,
      retry: fastRetry,
      ...extra,
    });
    engines.push(e);
    return e;
  }

  const finished = (e: JobEngine<Deps>, id: string) =>
    waitUntil(
      () => {
        const job = e.get(id);
        if (!job || !['succeeded', 'failed', 'cancelled'].includes(job.state)) return undefined;
        return store.readAudit({ subject: `job:${id}`, action: `job.${job.state}` }).length > 0
          ? job
          : undefined;
      },
      5_000,
      `job ${id} to finish`,
    );

  beforeEach(async () => {
    temp = makeTempDir();
    store = await LowdbStore.open(temp.dir);
  });

  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.stop()));
    await store.close();
    temp.remove();
  });

  it('runs the steps in order, reports each one and audits every state change', async () => {
    const deps: Deps = { calls: [] };
    const e = engine([kind('demo', [recordingStep('a'), recordingStep('b'), recordingStep('c')])], deps);
    const events: JobEvent[] = [];
    e.subscribe((event) => {
      events.push(event);
    });
    e.start();
    const job = await e.submit({ kind: 'demo', params: {}, requester: alice, siteKey: 'env/site' });
    expect(job.id).toMatch(/^J-[2-9A-Z]{5}$/);
    const done = await finished(e, job.id);

    expect(done.state).toBe('succeeded');
    expect(deps.calls).toEqual(['a', 'b', 'c']);
    expect(done.steps.map((s) => [s.status, s.attempts, s.output])).toEqual([
      ['succeeded', 1, { ran: 'a' }],
      ['succeeded', 1, { ran: 'b' }],
      ['succeeded', 1, { ran: 'c' }],
    ]);
    expect(done.lease).toBeUndefined();
    expect(events.filter((ev) => ev.type === 'step.started').map((ev) => ev.stepId)).toEqual(['a', 'b', 'c']);
    expect(events.filter((ev) => ev.type === 'job.state').map((ev) => ev.job.state)).toEqual([
      'queued',
      'running',
      'succeeded',
    ]);
    const audit = store.readAudit({ subject: `job:${job.id}` }).map((a) => [a.action, a.outcome]);
    expect(audit).toEqual([
      ['job.created', 'queued'],
      ['job.running', 'running'],
      ['job.succeeded', 'succeeded'],
    ]);
  });

  it('retries a transient failure with backoff and records the attempts', async () => {
    const deps: Deps = { calls: [] };
    const flaky = recordingStep('submit', (attempt) => {
      if (attempt < 3) throw new PortalOpsError('throttled', 'Too many requests', { retryable: true });
    });
    const e = engine([kind('demo', [flaky])], deps);
    const retrying: number[] = [];
    e.subscribe((ev) => {
      if (ev.type === 'step.retrying') retrying.push(ev.retryInMs ?? -1);
    });
    e.start();
    const job = await e.submit({ kind: 'demo', params: {}, requester: alice, siteKey: 'env/site' });
    const done = await finished(e, job.id);
    expect(done.state).toBe('succeeded');
    expect(done.steps[0]!.attempts).toBe(3);
    expect(retrying).toHaveLength(2);
    expect(retrying.every((ms) => ms >= 2 && ms <= 20)).toBe(true);
  });

  it('fails the job with the code of a permanent error, and stops at that step', async () => {
    const deps: Deps = { calls: [] };
    const broken = recordingStep('delete', () => {
      throw new PortalOpsError('missing_site_app_permission', 'The site app lacks permission');
    });
    const e = engine([kind('demo', [recordingStep('snapshot'), broken, recordingStep('after')])], deps);
    e.start();
    const job = await e.submit({ kind: 'demo', params: {}, requester: alice, siteKey: 'env/site' });
    const done = await finished(e, job.id);
    expect(done.state).toBe('failed');
    expect(done.lastError).toMatchObject({
      code: 'missing_site_app_permission',
      stepId: 'delete',
      retryable: false,
    });
    expect(done.steps.map((s) => s.status)).toEqual(['succeeded', 'failed', 'pending']);
    expect(deps.calls).toEqual(['snapshot', 'delete']);
    expect(store.readAudit({ action: 'job.failed' })[0]?.details).toMatchObject({
      code: 'missing_site_app_permission',
    });
  });

  it('gives up on a transient error after the last attempt', async () => {
    const deps: Deps = { calls: [] };
    const down = recordingStep('poll', () => {
      throw new PortalOpsError('service_unavailable', 'Service unavailable', { retryable: true });
    });
    const e = engine([kind('demo', [down])], deps);
    e.start();
    const job = await e.submit({ kind: 'demo', params: {}, requester: alice, siteKey: 'env/site' });
    const done = await finished(e, job.id);
    expect(done.state).toBe('failed');
    expect(done.steps[0]!.attempts).toBe(3);
    expect(done.lastError?.code).toBe('service_unavailable');
  });

  it('turns an unexpected exception into platform_error', async () => {
    const e = engine([kind('demo', [recordingStep('x', () => Promise.reject(new TypeError('boom')))])], {
      calls: [],
    });
    e.start();
    const job = await e.submit({ kind: 'demo', params: {}, requester: alice, siteKey: 'env/site' });
    expect((await finished(e, job.id)).lastError?.code).toBe('platform_error');
  });

  it('retries a failed job from the failed step without re-running finished steps', async () => {
    const deps: Deps = { calls: [] };
    let healthy = false;
    const e = engine(
      [
        kind('demo', [
          recordingStep('a'),
          recordingStep('b', () => {
            if (!healthy) throw new PortalOpsError('reset_not_submitted', 'Not submitted');
          }),
          recordingStep('c'),
        ]),
      ],
      deps,
    );
    e.start();
    const job = await e.submit({ kind: 'demo', params: {}, requester: alice, siteKey: 'env/site' });
    expect((await finished(e, job.id)).state).toBe('failed');
    healthy = true;
    const retried = await e.retry(job.id.toLowerCase(), 'bob');
    expect(retried.state).toBe('queued');
    expect(retried.lastError).toBeUndefined();
    const done = await finished(e, job.id);
    expect(done.state).toBe('succeeded');
    expect(done.attempt).toBe(2);
    expect(deps.calls).toEqual(['a', 'b', 'b', 'c']);
    expect(store.readAudit({ action: 'job.retried' })[0]?.actor).toBe('bob');
    await expect(e.retry(job.id, 'bob')).rejects.toMatchObject({ code: 'job_state_conflict' });
  });

  it('refuses a second job for a busy site, naming the active job', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const e = engine([kind('demo', [recordingStep('wait', () => gate)])], { calls: [] });
    e.start();
    const first = await e.submit({ kind: 'demo', params: {}, requester: alice, siteKey: 'env/site' });
    await waitUntil(() => e.get(first.id)?.state === 'running');
    const second = e.submit({ kind: 'demo', params: {}, requester: { id: 'bob' }, siteKey: 'env/site' });
    await expect(second).rejects.toMatchObject({
      code: 'site_busy',
      details: { jobId: first.id, state: 'running' },
    });
    await expect(second).rejects.toThrow(first.id);
    const other = await e.submit({ kind: 'demo', params: {}, requester: alice, siteKey: 'env/other-site' });
    expect(other.state).toBe('queued');
    release();
    await finished(e, first.id);
    await finished(e, other.id);
  });

  it('cancels a queued job at once and a running job between steps', async () => {
    const deps: Deps = { calls: [] };
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const e = engine([kind('demo', [recordingStep('a', () => gate), recordingStep('b')])], deps);
    const waiting = await e.submit({
      kind: 'demo',
      params: {},
      requester: alice,
      siteKey: 'env/approval',
      awaitApproval: true,
    });
    const cancelled = await e.cancel(waiting.id, 'alice');
    expect(cancelled.state).toBe('cancelled');

    e.start();
    const running = await e.submit({ kind: 'demo', params: {}, requester: alice, siteKey: 'env/site' });
    await waitUntil(() => e.get(running.id)?.steps[0]?.status === 'running');
    await e.cancel(running.id, 'carol');
    release();
    const done = await finished(e, running.id);
    expect(done.state).toBe('cancelled');
    expect(done.steps.map((s) => s.status)).toEqual(['succeeded', 'cancelled']);
    expect(deps.calls).toEqual(['a']);
    expect(store.readAudit({ action: 'job.cancelled' }).map((a) => a.details?.by)).toEqual([
      'alice',
      'carol',
    ]);
    await expect(e.cancel(running.id, 'carol')).rejects.toMatchObject({ code: 'job_state_conflict' });
    await expect(e.cancel('J-NOPE0', 'carol')).rejects.toMatchObject({ code: 'job_not_found' });
  });

  it('interrupts a long wait when the job is cancelled', async () => {
    const patient: StepDefinition<Deps> = {
      id: 'poll',
      title: 'Wait for the platform',
      run: (ctx) =>
        new Promise((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    };
    const e = engine([kind('demo', [patient])], { calls: [] });
    e.start();
    const job = await e.submit({ kind: 'demo', params: {}, requester: alice, siteKey: 'env/site' });
    await waitUntil(() => e.get(job.id)?.steps[0]?.status === 'running');
    await e.cancel(job.id, 'alice');
    expect((await finished(e, job.id)).state).toBe('cancelled');
  });

  it('keeps a job waiting for approval until it is released', async () => {
    const deps: Deps = { calls: [] };
    const e = engine([kind('demo', [recordingStep('a')])], deps);
    e.start();
    const job = await e.submit({
      kind: 'demo',
      params: {},
      requester: alice,
      siteKey: 'env/site',
      awaitApproval: true,
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(e.get(job.id)?.state).toBe('awaiting_approval');
    expect(deps.calls).toEqual([]);
    await e.release(job.id, 'bob');
    expect((await finished(e, job.id)).state).toBe('succeeded');
  });

  it('resumes after a stop at the interrupted step, with the context it saved', async () => {
    const deps: Deps = { calls: [] };
    const seen: unknown[] = [];
    const submitStep: StepDefinition<Deps> = {
      id: 'submit',
      title: 'Submit',
      run: async (ctx) => {
        seen.push(ctx.job.context.operationUrl);
        if (!ctx.job.context.operationUrl) {
          deps.calls.push('submitted');
          await ctx.saveContext({ operationUrl: 'https://op/1' });
        }
        if (seen.length === 1) {
          await new Promise((_resolve, reject) =>
            ctx.signal.addEventListener('abort', () => reject(new Error('stop'))),
          );
        }
      },
    };
    const kinds = [kind('demo', [recordingStep('validate'), submitStep])];
    const first = engine(kinds, deps);
    first.start();
    const job = await first.submit({ kind: 'demo', params: {}, requester: alice, siteKey: 'env/site' });
    await waitUntil(() => seen.length === 1 && first.get(job.id)?.context.operationUrl);
    await first.stop();
    const paused = first.get(job.id)!;
    expect(paused.state).toBe('running');
    expect(paused.lease).toBeUndefined();

    const second = engine(kinds, deps);
    second.start();
    const done = await finished(second, job.id);
    expect(done.state).toBe('succeeded');
    expect(seen).toEqual([undefined, 'https://op/1']);
    expect(deps.calls).toEqual(['validate', 'submitted']);
    expect(store.readAudit({ action: 'job.resumed' })).toHaveLength(1);
  });

  it('takes over a job whose runner crashed once its lease expires, and never one with a live lease', async () => {
    const deps: Deps = { calls: [] };
    const kinds = [kind('demo', [recordingStep('a'), recordingStep('b')])];
    const base: Omit<Job, 'id' | 'lease'> = {
      kind: 'demo',
      title: 'demo',
      params: {},
      requester: alice,
      siteKey: 'env/crashed',
      state: 'running',
      steps: [
        { id: 'a', title: 'A', status: 'succeeded', attempts: 1 },
        { id: 'b', title: 'B', status: 'running', attempts: 1 },
      ],
      attempt: 1,
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
      context: {},
      messages: [],
    };
    const past = new Date(Date.now() - 1_000).toISOString();
    const future = new Date(Date.now() + 60_000).toISOString();
    await store
      .collection('jobs')
      .put({ ...base, id: 'J-DEAD1', lease: { owner: 'crashed', token: 't1', expiresAt: past } });
    await store.collection('jobs').put({
      ...base,
      id: 'J-LIVE1',
      siteKey: 'env/live',
      lease: { owner: 'other', token: 't2', expiresAt: future },
    });
    const e = engine(kinds, deps);
    e.start();
    const done = await finished(e, 'J-DEAD1');
    expect(done.state).toBe('succeeded');
    expect(done.steps[1]!.attempts).toBe(2);
    expect(deps.calls).toEqual(['b']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(e.get('J-LIVE1')).toMatchObject({ state: 'running', lease: { owner: 'other' } });
  });

  it('never runs one job on two engines sharing a store, and runs each job exactly once', async () => {
    const active = new Set<string>();
    let overlaps = 0;
    const runs = new Map<string, number>();
    const step: StepDefinition<Deps> = {
      id: 'work',
      title: 'Work',
      run: async (ctx) => {
        if (active.has(ctx.job.id)) overlaps++;
        active.add(ctx.job.id);
        runs.set(ctx.job.id, (runs.get(ctx.job.id) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
        active.delete(ctx.job.id);
      },
    };
    const kinds = [kind('demo', [step])];
    const a = engine(kinds, { calls: [] }, { concurrency: 3, pollIntervalMs: 5 });
    const b = engine(kinds, { calls: [] }, { concurrency: 3, pollIntervalMs: 5 });
    a.start();
    b.start();
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const submitter = i % 2 === 0 ? a : b;
      ids.push(
        (await submitter.submit({ kind: 'demo', params: {}, requester: alice, siteKey: `env/site-${i}` })).id,
      );
    }
    for (const id of ids) expect((await finished(a, id)).state).toBe('succeeded');
    expect(overlaps).toBe(0);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(runs.size).toBe(40);
  });

  it('keeps running when a listener throws', async () => {
    const e = engine([kind('demo', [recordingStep('a')])], { calls: [] });
    e.subscribe(() => {
      throw new Error('listener bug');
    });
    e.start();
    const job = await e.submit({ kind: 'demo', params: {}, requester: alice, siteKey: 'env/site' });
    expect((await finished(e, job.id)).state).toBe('succeeded');
  });
});
