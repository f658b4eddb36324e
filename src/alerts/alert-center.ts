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
import type { AlertMessage } from '../domain/alert.ts';
import { isActive, type Job, siteKeyOf } from '../domain/job.ts';
import type { Website } from '../domain/website.ts';
import type { JobEngine } from '../jobs/engine.ts';
import type { LifecycleDeps } from '../jobs/kinds/index.ts';
import { type Logger, silentLogger } from '../logging/logger.ts';
import type { PowerPagesApi } from '../platform/ports.ts';
import type { Store } from '../storage/store.ts';
import { jobSummary } from '../views/job-views.ts';
import { type AlertCondition, type AlertRecord, alertKey, conditionDetail, conditionsOf } from './alert.ts';
import { isUnresolved, sameCard, sameFailure, supersededView } from './alert-cards.ts';
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
/**
 * A site PortalOps finished resetting this recently is in a state PortalOps caused (its hosted
 * site deleted or being provisioned again): what the platform shows of it does not alert.
 */
const OWN_WORK_GRACE_MS = 60 * 60 * 1000;

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
    const ownWork = this.sitesPortalOpsIsChanging();
    for (const site of sites) {
      if (ownWork.has(siteKeyOf(environmentId, site.subdomain))) continue;
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
    for (const alert of open) {
      const ours = alert.subdomain && ownWork.has(siteKeyOf(environmentId, alert.subdomain));
      if (!current.has(alert.key) && !ours) await this.resolve(alert.id);
    }
  }

  /**
   * The sites (as site keys) whose state PortalOps itself is changing: a job of its own is on
   * them, or an approved reset of theirs finished within the grace period. Their state is the
   * job's doing, and the job reports its own outcome.
   */
  private sitesPortalOpsIsChanging(): Set<string> {
    const since = this.now() - OWN_WORK_GRACE_MS;
    const jobs = this.options.engine
      .list({})
      .filter(
        (j) =>
          isActive(j) ||
          (j.kind === 'reset' && j.state === 'succeeded' && Date.parse(j.finishedAt ?? j.updatedAt) >= since),
      );
    return new Set(jobs.map((j) => j.siteKey.toLowerCase()));
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
  private async openAlert(alert: AlertRecord, adopt: AlertMessage[] = []): Promise<void> {
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
    await this.deliver(alert, adopt);
  }

  /**
   * Shows a new alert to everyone who should hear it and records where. One card per failure:
   * where an earlier alert about the same failure has a card, or the failed job has its own
   * card (`adopt`), that card becomes this alert instead of a second one being posted; in a
   * conversation with more than one such card the others keep their last state without buttons.
   */
  private async deliver(alert: AlertRecord, adopt: AlertMessage[] = []): Promise<void> {
    const earlier = this.alerts().list((a) => sameFailure(a, alert));
    const handed: { card: AlertMessage; was?: AlertRecord }[] = [
      ...earlier.flatMap((a) => a.messages.map((card) => ({ card, was: a }))),
      ...adopt.map((card) => ({ card })),
    ];
    for (const a of earlier) await this.supersede(a.id, alert.id);
    const targets = new Map<string, { surface: string; conversationId: string }>();
    for (const s of this.options.subscriptions.audience(alert.environment, alert.condition))
      targets.set(`${s.surface}:${s.conversationId}`, s);
    if (alert.requester)
      targets.set(`${alert.requester.surface}:${alert.requester.conversationId}`, alert.requester);
    for (const h of handed) targets.set(`${h.card.surface}:${h.card.conversationId}`, h.card);
    const view = this.viewOf(alert);
    const messages: AlertRecord['messages'] = [];
    for (const [key, target] of targets) {
      const cards = handed.filter((h) => `${h.card.surface}:${h.card.conversationId}` === key);
      const kept = cards.at(-1);
      for (const old of cards.slice(0, -1))
        await this.show(old.card, old.was ? supersededView(this.viewOf(old.was)) : view);
      if (kept) {
        await this.show(kept.card, view);
        messages.push(kept.card);
        continue;
      }
      const surface = this.options.surface(target.surface);
      if (!surface) continue;
      try {
        const messageId = await surface.post(
          this.options.conversation(target.surface, target.conversationId),
          view,
        );
        messages.push({ surface: target.surface, conversationId: target.conversationId, messageId });
      } catch (error) {
        this.logger.warn({ err: error, alert: alert.id, conversation: target }, 'could not post an alert');
      }
    }
    await this.alerts().update(alert.id, (a) => ({ ...a, messages: [...a.messages, ...messages] }));
  }

  /** Edits one card. */
  private async show(card: AlertMessage, view: ReturnType<typeof alertView>): Promise<void> {
    try {
      await this.options
        .surface(card.surface)
        ?.update(this.options.conversation(card.surface, card.conversationId), card.messageId, view);
    } catch (error) {
      this.logger.warn({ err: error, conversation: card.conversationId }, 'could not update an alert card');
    }
  }

  /** An earlier alert about the same failure hands its cards to a later one. */
  private async supersede(alertId: string, by: string): Promise<void> {
    const done = await this.alerts().update(alertId, (a) =>
      isUnresolved(a)
        ? {
            ...a,
            state: 'resolved',
            resolvedAt: new Date(this.now()).toISOString(),
            supersededBy: by,
            messages: [],
          }
        : undefined,
    );
    if (done)
      await this.options.store.appendAudit({
        actor: 'alerts',
        action: 'alert.superseded',
        subject: `alert:${alertId}`,
        outcome: 'resolved',
        details: { by },
      });
  }

  /** Whether a card is an alert's (a job's card that became its alert is no longer the job's to edit). */
  showsCard(card: AlertMessage): boolean {
    return this.alerts().list((a) => a.messages.some((m) => sameCard(m, card))).length > 0;
  }

  /** The alerts not resolved yet, in `environments` (all when omitted), newest first. */
  openAlerts(environments?: readonly string[]): AlertRecord[] {
    return this.alerts()
      .list((a) => isUnresolved(a) && (!environments || environments.includes(a.environment)))
      .sort((a, b) => b.detectedAt.localeCompare(a.detectedAt));
  }

  /** Looks at an environment's sites now (as a poll would), so what is open there is known. */
  async checkNow(environment: string): Promise<void> {
    const entry = this.options.registry.entries.find((e) => e.alias === environment);
    if (!entry) return;
    try {
      const sites = await this.options.powerPages.listWebsites(entry.environmentId);
      await this.checkEnvironment(entry.alias, entry.environmentId, sites);
    } catch (error) {
      this.logger.warn({ err: error, environment }, 'could not list sites for alerts');
    }
  }

  /**
   * The alerts open in an environment now that a conversation would hear (`conditions`; empty:
   * all) and has no card of yet: what a new subscription shows at once.
   */
  async openFor(
    conversation: { surface: string; conversationId: string },
    environment: string,
    conditions: readonly AlertCondition[],
  ): Promise<AlertRecord[]> {
    await this.checkNow(environment);
    return this.openAlerts([environment]).filter(
      (a) =>
        (conditions.length === 0 || conditions.includes(a.condition)) &&
        !a.messages.some(
          (m) => m.surface === conversation.surface && m.conversationId === conversation.conversationId,
        ),
    );
  }

  /** Records a card of an alert posted elsewhere (a subscription's answer), so it is kept current. */
  async attachMessage(alertId: string, card: AlertMessage): Promise<void> {
    await this.alerts().update(alertId, (a) =>
      a.messages.some((m) => sameCard(m, card)) ? undefined : { ...a, messages: [...a.messages, card] },
    );
  }

  private viewOf(alert: AlertRecord) {
    const job = alert.jobId ? this.options.engine.get(alert.jobId) : undefined;
    // A failed job's own alert explains the failure; it shows the job again once it is retried.
    const follows = job && !(alert.condition === 'job_failed' && job.state === 'failed');
    return alertView(alert, follows ? jobSummary(job) : undefined);
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

  /**
   * Job events: a failed job alerts (its card becomes the alert); a job an alert follows moves
   * its cards along; a failed job that succeeds on a retry resolves its alert.
   */
  private onJob(job: Job, type: string): void {
    if (type === 'job.state' && job.state === 'failed') {
      void this.openJobAlert(job).catch((error: unknown) =>
        this.logger.warn({ err: error, job: job.id }, 'could not alert a failed job'),
      );
    }
    if (type === 'job.state' && job.state === 'succeeded') {
      for (const alert of this.alerts().list((a) => a.key === `job/${job.id}` && isUnresolved(a)))
        void this.resolve(alert.id);
    }
    if (type === 'job.created' || type === 'heartbeat') return;
    for (const alert of this.alerts().list((a) => a.jobId === job.id && isUnresolved(a)))
      void this.refresh(alert.id);
  }

  private async openJobAlert(job: Job): Promise<void> {
    // Invalid input is answered on its form (the job's card names every problem): not an alert.
    if (job.lastError?.code === 'validation_failed') return;
    const environmentId = job.siteKey.split('/')[0] ?? '';
    const entry = this.options.registry.entries.find(
      (e) =>
        e.environmentId === environmentId || e.alias === (job.params as { environment?: string }).environment,
    );
    const attempt = job.attempt;
    const link = job.messages[0];
    const params = job.params as { site?: string; subdomain?: string };
    const subdomain = params.site ?? params.subdomain;
    const record: AlertRecord = {
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
    };
    const cards = job.messages.map((m) => ({
      surface: m.surface,
      conversationId: m.conversationId,
      messageId: m.messageId,
    }));
    // The site's own failure alert, when it is open, is the card: it follows the job instead.
    const siteAlert = this.alerts().list((a) => a.condition !== 'job_failed' && sameFailure(a, record))[0];
    if (siteAlert) return this.follow(siteAlert, job.id, cards);
    await this.openAlert(record, cards);
  }

  /**
   * An open alert takes over a job's cards and follows the job; its own earlier card in the same
   * conversation keeps its last state, without buttons.
   */
  private async follow(alert: AlertRecord, jobId: string, cards: AlertMessage[]): Promise<void> {
    const taken = cards.filter((c) => !alert.messages.some((m) => sameCard(m, c)));
    const replaced = alert.messages.filter((m) =>
      taken.some((c) => c.surface === m.surface && c.conversationId === m.conversationId),
    );
    const last = supersededView(this.viewOf(alert));
    for (const old of replaced) await this.show(old, last);
    await this.alerts().update(alert.id, (a) => ({
      ...a,
      jobId,
      messages: [...a.messages.filter((m) => !replaced.some((r) => sameCard(r, m))), ...taken],
    }));
    await this.refresh(alert.id, true);
  }
}
