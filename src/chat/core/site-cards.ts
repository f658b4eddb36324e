/**
 * Status cards kept current: a card showing a site's state offers the buttons of that state, so
 * when a job on the site starts or ends (a restart typed elsewhere, say) the card is shown again
 * as the site is now, and stale buttons do not stay on it.
 */
import type { Reply } from '../../commands/command.ts';
import { siteKeyOf } from '../../domain/job.ts';
import type { JobEngine } from '../../jobs/engine.ts';
import { type Logger, silentLogger } from '../../logging/logger.ts';
import type { View } from '../../views/view.ts';
import type { CardStates } from './card-state.ts';
import type { ChatSurface, ConversationRef } from './surface.ts';

/** A posted status card. */
interface SiteCard {
  surface: string;
  conversationId: string;
  messageId: string;
  environment: string;
  site: string;
  siteKey: string;
}

/** How long a status card is kept current. */
const SITE_CARD_TTL_MS = 24 * 60 * 60 * 1000;

/** Options of {@link SiteCards}. */
export interface SiteCardsOptions {
  // biome-ignore lint/suspicious/noExplicitAny: any engine dependencies
  engine: JobEngine<any>;
  cardStates: CardStates;
  environmentIdOf: (alias: string) => string;
  /** The site's status card as it is now (undefined when it cannot be read). */
  statusOf: (environment: string, site: string) => Promise<Reply[]>;
  surface: (name: string) => ChatSurface | undefined;
  conversation: (surface: string, conversationId: string) => ConversationRef;
  /** Whether a card now shows something else (it became a confirmation or a job's card). */
  takenOver: (card: { surface: string; conversationId: string; messageId: string }) => boolean;
  logger?: Logger;
}

/** Keeps posted status cards current with the jobs on their sites. */
export class SiteCards {
  private unsubscribe: (() => void) | undefined;
  private readonly logger: Logger;

  constructor(private readonly options: SiteCardsOptions) {
    this.logger = options.logger ?? silentLogger();
  }

  /** Remembers a posted status card (and starts listening to jobs). */
  async track(
    link: { surface: string; conversationId: string; messageId: string },
    site: { environment: string; site: string },
  ): Promise<void> {
    this.unsubscribe ??= this.options.engine.subscribe((event) => {
      const ends = ['succeeded', 'failed', 'cancelled'].includes(event.job.state);
      if (event.type === 'job.created' || (event.type === 'job.state' && ends))
        void this.refresh(event.job.siteKey).catch((error: unknown) =>
          this.logger.warn({ err: error }, 'could not refresh a status card'),
        );
    });
    const card: SiteCard = {
      ...link,
      ...site,
      siteKey: siteKeyOf(this.options.environmentIdOf(site.environment), site.site).toLowerCase(),
    };
    await this.options.cardStates.keep('site-card', card, {
      conversation: `${link.surface}:${link.conversationId}`,
      ttlMs: SITE_CARD_TTL_MS,
    });
  }

  /** Shows every status card of a site again, as the site is now. */
  private async refresh(siteKey: string): Promise<void> {
    const cards = this.options.cardStates
      .list<SiteCard>('site-card')
      .filter((c) => c.payload.siteKey === siteKey.toLowerCase());
    if (cards.length === 0) return;
    const { environment, site } = cards[0]!.payload;
    const view: View | undefined = (await this.options.statusOf(environment, site)).find(
      (r) => r.view.type === 'site-status',
    )?.view;
    if (!view) return;
    for (const { id, payload: c } of cards) {
      if (this.options.takenOver(c)) {
        await this.options.cardStates.drop(id);
        continue;
      }
      try {
        await this.options
          .surface(c.surface)
          ?.update(this.options.conversation(c.surface, c.conversationId), c.messageId, view);
      } catch (error) {
        this.logger.warn({ err: error }, 'could not update a status card');
      }
    }
  }

  /** Stops listening to jobs. */
  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
