/**
 * Answers through a request's `response_url`: the way Slack takes a reply to a slash command
 * or a click even in a channel the bot is not a member of. Slack lets an app "respond to a
 * user's command up to 5 times within 30 minutes" (docs.slack.dev, slash commands, "Delayed
 * responses and multiple responses"); messages sent this way are remembered here, in memory
 * only (the URL is a short-lived capability, not something to write to disk), with the uses left.
 */
import { randomUUID } from 'node:crypto';

/** Uses and lifetime of one `response_url`. */
export const RESPONSE_URL_LIMITS = { uses: 5, lifetimeMs: 30 * 60 * 1000 };

interface Handle {
  url: string;
  expiresAt: number;
}

/** What is sent: a Block Kit message and how it is shown. */
export interface ResponseMessage {
  text: string;
  blocks: unknown[];
  response_type?: 'in_channel' | 'ephemeral';
  replace_original?: boolean;
}

/** Sends and counts answers through response URLs. */
export class ResponseUrls {
  private readonly uses = new Map<string, { count: number; firstAt: number }>();
  private readonly messages = new Map<string, Handle>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Whether `url` may still be used (fewer than 5 uses, first use under 30 minutes ago). */
  usable(url: string): boolean {
    const used = this.uses.get(url);
    return (
      !used ||
      (used.count < RESPONSE_URL_LIMITS.uses && this.now() - used.firstAt < RESPONSE_URL_LIMITS.lifetimeMs)
    );
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [url, used] of this.uses)
      if (now - used.firstAt >= RESPONSE_URL_LIMITS.lifetimeMs) this.uses.delete(url);
    for (const [id, handle] of this.messages) if (handle.expiresAt <= now) this.messages.delete(id);
  }

  /** Sends a message through `url`; resolves with an id naming the message for later answers. */
  async send(url: string, message: ResponseMessage): Promise<string> {
    this.forgetExpired();
    if (!this.usable(url)) throw new Error('This response_url has been used 5 times or is too old.');
    const used = this.uses.get(url) ?? { count: 0, firstAt: this.now() };
    used.count++;
    this.uses.set(url, used);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(message),
    });
    await response.text();
    if (!response.ok) throw new Error(`Slack refused the response_url message (HTTP ${response.status}).`);
    const id = randomUUID();
    this.messages.set(id, { url, expiresAt: this.now() + RESPONSE_URL_LIMITS.lifetimeMs });
    return id;
  }

  /** Stops answering after a message (its story has ended). */
  forget(id: string): void {
    this.messages.delete(id);
  }

  /** The URL a message was sent through, while it can still take answers. */
  urlOf(id: string): string | undefined {
    const handle = this.messages.get(id);
    if (!handle) return undefined;
    if (handle.expiresAt <= this.now() || !this.usable(handle.url)) {
      this.messages.delete(id);
      return undefined;
    }
    return handle.url;
  }
}
