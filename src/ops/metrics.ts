/**
 * PortalOps' Prometheus metrics (`prom-client`), served at `/metrics`: jobs by kind and state,
 * step durations, platform calls and throttled calls, chat turn latency and inbound events
 * taken once. Every hook is a counter bump or a histogram observation on a path that already
 * runs; the job counts are read from the engine only when Prometheus scrapes.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Job } from '../domain/job.ts';
import type { JobEngine } from '../jobs/engine.ts';
import { onPlatformCall } from '../platform/http/platform-calls.ts';

/** The metrics of one running PortalOps. */
export interface OpsMetrics {
  registry: Registry;
  jobs: Gauge<'kind' | 'state'>;
  stepDuration: Histogram<'kind' | 'step' | 'outcome'>;
  platformRequests: Counter<'service' | 'method' | 'status'>;
  platformThrottled: Counter<'service'>;
  platformDuration: Histogram<'service'>;
  chatTurn: Histogram<'surface' | 'kind'>;
  eventsDeduplicated: Counter<'source'>;
  /** Stops the hooks this module installed (platform calls, job events). */
  close(): void;
}

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /** Also the process's CPU, memory, event-loop lag and GC (prom-client's defaults). Default true. */
  processMetrics?: boolean;
}

/** Builds a registry with PortalOps' metrics and starts counting platform calls. */
export function createMetrics(options: MetricsOptions = {}): OpsMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const jobs = new Gauge({
    name: 'portalops_jobs',
    help: 'Jobs in the store by kind and state (every replica reports the shared store: aggregate with max).',
    labelNames: ['kind', 'state'] as const,
    registers: [registry],
  });
  const stepDuration = new Histogram({
    name: 'portalops_job_step_duration_seconds',
    help: 'Duration of finished job steps run by this process, by kind, step and outcome.',
    labelNames: ['kind', 'step', 'outcome'] as const,
    // Steps range from a Dataverse write to a provisioning that takes hours.
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 1800, 3600, 7200, 14400],
    registers: [registry],
  });
  const platformRequests = new Counter({
    name: 'portalops_platform_requests_total',
    help: 'Attempts of platform HTTP calls (each retry counts), by service, method and status (0: no answer).',
    labelNames: ['service', 'method', 'status'] as const,
    registers: [registry],
  });
  const platformThrottled = new Counter({
    name: 'portalops_platform_throttled_total',
    help: 'Platform HTTP answers 429 (throttled), by service.',
    labelNames: ['service'] as const,
    registers: [registry],
  });
  const platformDuration = new Histogram({
    name: 'portalops_platform_request_duration_seconds',
    help: 'Duration of one attempt of a platform HTTP call, by service.',
    labelNames: ['service'] as const,
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const chatTurn = new Histogram({
    name: 'portalops_chat_turn_duration_seconds',
    help: 'Time from an inbound message or card click to its answer being handed to the surface.',
    labelNames: ['surface', 'kind'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const eventsDeduplicated = new Counter({
    name: 'portalops_inbound_events_deduplicated_total',
    help: 'Inbound events (Teams activities, Slack events, card clicks, alert occurrences) seen again and not acted on, by source.',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  const stopCalls = onPlatformCall((call) => {
    platformRequests.inc({ service: call.service, method: call.method, status: String(call.status) });
    if (call.status === 429) platformThrottled.inc({ service: call.service });
    platformDuration.observe({ service: call.service }, call.durationMs / 1000);
  });
  const hooks: (() => void)[] = [stopCalls];
  return {
    registry,
    jobs,
    stepDuration,
    platformRequests,
    platformThrottled,
    platformDuration,
    chatTurn,
    eventsDeduplicated,
    close: () => {
      for (const stop of hooks.splice(0)) stop();
    },
  };
}

/**
 * Counts the engine's jobs at each scrape and observes the duration of every step this process
 * finishes. Returns the function that stops observing.
 */
// biome-ignore lint/suspicious/noExplicitAny: any engine's jobs are counted the same way
export function observeJobs(metrics: OpsMetrics, engine: JobEngine<any>): () => void {
  const stop = engine.subscribe((event) => {
    if ((event.type !== 'step.succeeded' && event.type !== 'step.failed') || !event.stepId) return;
    const step = event.job.steps.find((s) => s.id === event.stepId);
    if (!step?.startedAt || !step.finishedAt) return;
    const seconds = (Date.parse(step.finishedAt) - Date.parse(step.startedAt)) / 1000;
    if (!(seconds >= 0)) return;
    metrics.stepDuration.observe(
      {
        kind: event.job.kind,
        step: step.id,
        outcome: event.type === 'step.succeeded' ? 'succeeded' : 'failed',
      },
      seconds,
    );
  });
  const gauge = metrics.jobs as Gauge<'kind' | 'state'> & { collect?: () => void };
  gauge.collect = () => {
    const counts = new Map<string, { kind: string; state: Job['state']; n: number }>();
    for (const job of engine.list()) {
      const key = `${job.kind}|${job.state}`;
      const entry = counts.get(key) ?? { kind: job.kind, state: job.state, n: 0 };
      entry.n++;
      counts.set(key, entry);
    }
    metrics.jobs.reset();
    for (const { kind, state, n } of counts.values()) metrics.jobs.set({ kind, state }, n);
  };
  return () => {
    stop();
    gauge.collect = undefined;
  };
}
