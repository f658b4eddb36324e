/**
 * Keeps every message that shows a job up to date from the engine's events, coalescing them so
 * no message is edited more than once per interval (chat platforms rate-limit edits).
 */
import type { Job } from '../../domain/job.ts';
import type { JobEngine } from '../../jobs/engine.ts';
import { type Logger, silentLogger } from '../../logging/logger.ts';
import { jobView } from '../../views/job-views.ts';
import type { ChatSurface, ConversationRef } from './surface.ts';

/** Options of {@link JobNotifier}. */
export interface JobNotifierOptions {
  // biome-ignore lint/suspicious/noExplicitAny: the notifier works for any engine dependencies
  engine: JobEngine<any>;
  surface: (name: string) => ChatSurface | undefined;
  conversation: (surface: string, conversationId: string) => ConversationRef;
  /**
   * Whether a job's message now shows something else that keeps it current (a failed job's card
   * that became its alert): such messages are not edited with the job's view.
   */
  handedOver?: (message: { surface: string; conversationId: string; messageId: string }) => boolean;
  /** At most one edit per message per this many ms. Default 1,000. */
  minIntervalMs?: number;
  logger?: Logger;
}

interface Pending {
  job: Job;
  timer?: NodeJS.Timeout;
  lastSentAt: number;
  inFlight?: Promise<void>;
}

/** Subscribes to job events and edits the messages linked to each job. */
export class JobNotifier {
  private readonly pending = new Map<string, Pending>();
  private unsubscribe: (() => void) | undefined;
  private readonly minIntervalMs: number;
  private readonly logger: Logger;
  /** Edits sent, for tests and diagnostics. */
  updatesSent = 0;

  constructor(private readonly options: JobNotifierOptions) {
    this.minIntervalMs = options.minIntervalMs ?? 1_000;
    this.logger = options.logger ?? silentLogger();
  }

  start(): void {
    this.unsubscribe ??= this.options.engine.subscribe((event) => {
      if (event.type === 'job.created') return;
      for (const link of event.job.messages)
        this.schedule(`${link.surface}|${link.conversationId}|${link.messageId}`, event.job);
    });
  }

  /** Stops listening and sends what is still waiting. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    const flushes: Promise<void>[] = [];
    for (const [key, entry] of this.pending) {
      if (entry.timer) {
        clearTimeout(entry.timer);
        entry.timer = undefined;
        flushes.push(this.flush(key));
      } else if (entry.inFlight) flushes.push(entry.inFlight);
    }
    await Promise.allSettled(flushes);
  }

  private schedule(key: string, job: Job): void {
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { job, lastSentAt: 0 };
      this.pending.set(key, entry);
    }
    entry.job = job;
    if (entry.timer) return;
    const wait = Math.max(0, entry.lastSentAt + this.minIntervalMs - Date.now());
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      void this.flush(key);
    }, wait);
  }

  private async flush(key: string): Promise<void> {
    const entry = this.pending.get(key);
    if (!entry) return;
    await entry.inFlight;
    const [surfaceName, conversationId, messageId] = key.split('|') as [string, string, string];
    const surface = this.options.surface(surfaceName);
    if (!surface || this.options.handedOver?.({ surface: surfaceName, conversationId, messageId })) return;
    entry.lastSentAt = Date.now();
    const job = entry.job;
    entry.inFlight = surface
      .update(this.options.conversation(surfaceName, conversationId), messageId, jobView(job))
      .then(() => {
        this.updatesSent++;
      })
      .catch((error: unknown) =>
        this.logger.warn({ err: error, jobId: job.id }, 'could not update a job message'),
      );
    await entry.inFlight;
  }
}
