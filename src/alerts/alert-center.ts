/**
 * The alert center: watches every registered environment's site list (one list call per
 * environment per interval, faster while PortalOps jobs run), turns condition changes into
 * alert occurrences, posts each occurrence once to the conversations subscribed to it (and to
 * the requester of a failed job), and keeps the posted cards up to date: who acted, the
 * progress of the job started from the card, and the resolution when the condition clears.
 */
import pLimit from 'p-limit';
import type { ChatSurface, ConversationRef } from '../chat/core/surface.ts';
import type { EnvironmentRegistry } from '../config/environment-registry.ts';
import type { Job } from '../domain/job.ts';
import type { Website } from '../domain/website.ts';
import type { JobEngine } from '../jobs/engine.ts';
import type { LifecycleDeps } from '../jobs/kinds/index.ts';
import { type Logger, silentLogger } from '../logging/logger.ts';
import type { PowerPagesApi } from '../platform/ports.ts';
import type { Store } from '../storage/store.ts';
import { jobSummary } from '../views/job-views.ts';
import { type AlertCondition, type AlertRecord, alertKey, conditionDetail, conditionsOf } from './alert.ts';
import { alertView } from './alert-view.ts';
import type { AlertSubscriptions } from './subscriptions.ts';

/** How the alert center is set up. */
export interface AlertCenterOptions {
  store: Store;
  registry: EnvironmentRegistry;
  powerPages: Pick<PowerPagesApi, 'listWebsites'>;
  engine: JobEngine<LifecycleDeps>;
  subscriptions: AlertSubscriptions;
  surface: (name: string) => ChatSurface | undefined;
  conversation: (surface: string, conversationId: string) => ConversationRef;
  /** Between polls of an environment's sites. */
  intervalMs: number;
  /** Between polls while PortalOps jobs are running. */
  busyIntervalMs: number;
  /** Trials ending, and suspended sites being deleted, within this many days alert. */
  warnDays: number;
  /** Card edits per alert, at most one per this many milliseconds. */
  minUpdateIntervalMs?: number;
  /**
   * Whether this process polls an environment now: with several replicas on one database, each
   * environment has one watcher (see src/ops/postgres/environment-watch-election.ts). Default: all.
   */
  watches?: (environmentId: string) => boolean;
  now?: () => number;
  logger?: Logger;
}

/** Claims of occurrences are remembered this long (far longer than any poll gap). */
const CLAIM_TTL_MS = 90 * 24 * 60 * 60 * 1000;
const SNOOZE_MS = 24 * 60 * 60 * 1000;

/** Watches sites and jobs, and posts alerts. */
export class AlertCenter {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly lastUpdate = new Map<string, { at: number; timer?: NodeJS.Timeout }>();
  /** List calls made per environment id (for diagnostics and the benchmark). */
  readonly listCalls = new Map<string, number>();
  /** Alerts this center posted (first delivery of an occurrence). */
  readonly posted: string[] = [];

  constructor(private readonly options: AlertCenterOptions) {
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger();
  }

  /** Listens to job events: failed jobs alert, jobs started from alerts move their cards. */
  listen(): void {
    this.unsubscribe ??= this.options.engine.subscribe((event) => this.onJob(event.job, event.type));
  }

  /** Listens to job events and polls the sites until stopped. */
  start(): void {
    this.listen();
    if (this.timer) return;
    const loop = () => {
      this.running = this.pollOnce()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'alert poll failed'))
        .finally(() => {
          if (!this.unsubscribe) return;
          const busy = this.options.engine.list({ activeOnly: true }).length > 0;
          this.timer = setTimeout(loop, busy ? this.options.busyIntervalMs : this.options.intervalMs);
          this.timer.unref?.();
        });
    };
    this.timer = setTimeout(loop, 0);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const entry of this.lastUpdate.values()) if (entry.timer) clearTimeout(entry.timer);
    await this.running;
  }

  /** One poll of every environment this process watches: one site-list call each. */
  async pollOnce(): Promise<void> {
    const limit = pLimit(8);
    const watches = this.options.watches ?? (() => true);
    const watched = this.options.registry.entries.filter((entry) => watches(entry.environmentId));
    await Promise.all(
      watched.map((entry) =>
        limit(async () => {
          let sites: Website[];
          try {
            this.listCalls.set(entry.environmentId, (this.listCalls.get(entry.environmentId) ?? 0) + 1);
            sites = await this.options.powerPages.listWebsites(entry.environmentId);
          } catch (error) {
            this.logger.warn({ err: error, environment: entry.alias }, 'could not list sites for alerts');
            return;
          }
          await this.checkEnvironment(entry.alias, entry.environmentId, sites);
        }),
      ),
    );
  }

  private alerts() {
    return this.options.store.collection('alerts');
  }

  private async checkEnvironment(
    environment: string,
    environmentId: string,
    sites: Website[],
  ): Promise<void> {
    const current = new Map<string, { site: Website; condition: AlertCondition }>();
    for (const site of sites) {
      for (const condition of conditionsOf(site, { warnDays: this.options.warnDays }))
        current.set(alertKey(environmentId, site.id, condition), { site, condition });
    }
    const open = this.alerts().list(
      (a) => a.environmentId === environmentId && a.condition !== 'job_failed' && a.state !== 'resolved',
    );
    const openKeys = new Set(open.map((a) => a.key));
    for (const [key, { site, condition }] of current) {
      if (!openKeys.has(key)) await this.openSiteAlert(environment, environmentId, key, site, condition);
    }
    for (const alert of open) if (!current.has(alert.key)) await this.resolve(alert.id);
  }

  private async openSiteAlert(
    environment: string,
    environmentId: string,
    key: string,
    site: Website,
    condition: AlertCondition,
  ): Promise<void> {
    const episode = this.alerts().list((a) => a.key === key).length + 1;
    const detail = conditionDetail(site, condition, { warnDays: this.options.warnDays });
    await this.openAlert({
      id: `${key}/${episode}`,
      key,
      condition,
      environment,
      environmentId,
      siteId: site.id,
      subdomain: site.subdomain,
      siteName: site.name,
      state: 'open',
      detectedAt: new Date(this.now()).toISOString(),
      ...(detail ? { detail } : {}),
      actions: [],
      messages: [],
    });
  }

  /**
   * Opens an occurrence once: the claim on its id is taken atomically in the store, so a
   * repeated poll, a restarted process or a second watcher on the same store never posts it twice.
   */
  private async openAlert(alert: AlertRecord): Promise<void> {
    if (!(await this.options.store.markEventProcessed(`alert:${alert.id}`, CLAIM_TTL_MS))) return;
    await this.alerts().put(alert);
    await this.options.store.appendAudit({
      actor: 'alerts',
      action: 'alert.opened',
      subject: `alert:${alert.id}`,
      outcome: 'open',
      details: { condition: alert.condition, environment: alert.environment, site: alert.subdomain },
    });
    this.posted.push(alert.id);
    await this.deliver(alert);
  }

  /** Posts a new alert to everyone who should hear it and records where. */
  private async deliver(alert: AlertRecord): Promise<void> {
    const targets = new Map<string, { surface: string; conversationId: string }>();
    for (const s of this.options.subscriptions.audience(alert.environment, alert.condition))
      targets.set(`${s.surface}:${s.conversationId}`, s);
    if (alert.requester)
      targets.set(`${alert.requester.surface}:${alert.requester.conversationId}`, alert.requester);
    const view = this.viewOf(alert);
    const messages: AlertRecord['messages'] = [];
    for (const target of targets.values()) {
      const surface = this.options.surface(target.surface);
      if (!surface) continue;
      try {
        const messageId = await surface.post(
          this.options.conversation(target.surface, target.conversationId),
          view,
        );
        messages.push({ ...target, messageId });
      } catch (error) {
        this.logger.warn({ err: error, alert: alert.id, conversation: target }, 'could not post an alert');
      }
    }
    await this.alerts().update(alert.id, (a) => ({ ...a, messages: [...a.messages, ...messages] }));
  }

  private viewOf(alert: AlertRecord) {
    const job = alert.jobId ? this.options.engine.get(alert.jobId) : undefined;
    return alertView(alert, job && alert.condition !== 'job_failed' ? jobSummary(job) : undefined);
  }

  /** Edits every card of an alert to its current state (at most one edit per interval). */
  private refresh(alertId: string, immediately = false): Promise<void> {
    const entry = this.lastUpdate.get(alertId) ?? { at: 0 };
    this.lastUpdate.set(alertId, entry);
    const wait = (this.options.minUpdateIntervalMs ?? 1_000) - (this.now() - entry.at);
    if (!immediately && wait > 0) {
      entry.timer ??= setTimeout(() => {
        entry.timer = undefined;
        void this.refresh(alertId, true);
      }, wait);
      return Promise.resolve();
    }
    entry.at = this.now();
    const alert = this.alerts().get(alertId);
    if (!alert) return Promise.resolve();
    const view = this.viewOf(alert);
    return Promise.all(
      alert.messages.map(async (m) => {
        try {
          await this.options
            .surface(m.surface)
            ?.update(this.options.conversation(m.surface, m.conversationId), m.messageId, view);
        } catch (error) {
          this.logger.warn({ err: error, alert: alertId }, 'could not update an alert card');
        }
      }),
    ).then(() => undefined);
  }

  /** Marks an occurrence resolved and says so on its cards. */
  async resolve(alertId: string): Promise<void> {
    const resolved = await this.alerts().update(alertId, (a) =>
      a.state === 'resolved'
        ? undefined
        : { ...a, state: 'resolved', resolvedAt: new Date(this.now()).toISOString() },
    );
    if (!resolved) return;
    await this.options.store.appendAudit({
      actor: 'alerts',
      action: 'alert.resolved',
      subject: `alert:${alertId}`,
      outcome: 'resolved',
    });
    await this.refresh(alertId, true);
  }

  /** The current card of an alert (answer to a click), or undefined when it does not exist. */
  current(alertId: string) {
    const alert = this.alerts().get(alertId);
    return alert ? this.viewOf(alert) : undefined;
  }

  /**
   * The stored alert: what a click on its card acts on (its environment, site and job), whatever
   * the button's data says.
   */
  record(alertId: string): AlertRecord | undefined {
    return this.alerts().get(alertId);
  }

  /** Someone acknowledged the alert. */
  async acknowledge(alertId: string, by: string) {
    return this.act(alertId, by, 'Acknowledged', (a) =>
      a.state === 'open' ? { state: 'acknowledged' } : {},
    );
  }

  /** Someone snoozed the alert for a day. */
  async snooze(alertId: string, by: string) {
    return this.act(alertId, by, 'Snoozed', (a) =>
      a.state === 'resolved'
        ? {}
        : { state: 'snoozed', snoozedUntil: new Date(this.now() + SNOOZE_MS).toISOString() },
    );
  }

  /** Someone started a job from the alert: the cards show who, and then the job's progress. */
  async startedJob(alertId: string, by: string, what: string, jobId: string) {
    return this.act(alertId, by, what, () => ({ jobId, state: 'acknowledged' }), jobId);
  }

  private async act(
    alertId: string,
    by: string,
    what: string,
    change: (a: AlertRecord) => Partial<AlertRecord>,
    jobId?: string,
  ) {
    const updated = await this.alerts().update(alertId, (a) => ({
      ...a,
      ...change(a),
      actions: [
        ...a.actions,
        { by, what, at: new Date(this.now()).toISOString(), ...(jobId ? { jobId } : {}) },
      ],
    }));
    if (!updated) return undefined;
    await this.options.store.appendAudit({
      actor: by,
      action: `alert.${what.toLowerCase().replace(/\s+/g, '_')}`,
      subject: `alert:${alertId}`,
      outcome: updated.state,
      ...(jobId ? { details: { jobId } } : {}),
    });
    await this.refresh(alertId, true);
    return this.viewOf(updated);
  }

  /** Job events: a failed job alerts; a job started from an alert moves its cards along. */
  private onJob(job: Job, type: string): void {
    if (type === 'job.state' && job.state === 'failed') {
      void this.openJobAlert(job).catch((error: unknown) =>
        this.logger.warn({ err: error, job: job.id }, 'could not alert a failed job'),
      );
    }
    if (type === 'job.created' || type === 'heartbeat') return;
    for (const alert of this.alerts().list((a) => a.jobId === job.id && a.condition !== 'job_failed'))
      void this.refresh(alert.id);
  }

  private async openJobAlert(job: Job): Promise<void> {
    const environmentId = job.siteKey.split('/')[0] ?? '';
    const entry = this.options.registry.entries.find(
      (e) =>
        e.environmentId === environmentId || e.alias === (job.params as { environment?: string }).environment,
    );
    const attempt = job.attempt;
    const link = job.messages[0];
    const params = job.params as { site?: string; subdomain?: string };
    const subdomain = params.site ?? params.subdomain;
    await this.openAlert({
      id: `job/${job.id}/${attempt}`,
      key: `job/${job.id}`,
      condition: 'job_failed',
      environment: entry?.alias ?? environmentId,
      environmentId: entry?.environmentId ?? environmentId,
      ...(subdomain ? { subdomain } : {}),
      siteName: job.title,
      state: 'open',
      detectedAt: new Date(this.now()).toISOString(),
      detail: `${job.title}: ${job.lastError?.message ?? 'failed'}`,
      ...(job.lastError?.code ? { errorCode: job.lastError.code } : {}),
      jobId: job.id,
      actions: [],
      ...(link ? { requester: { surface: link.surface, conversationId: link.conversationId } } : {}),
      messages: [],
    });
  }
}
